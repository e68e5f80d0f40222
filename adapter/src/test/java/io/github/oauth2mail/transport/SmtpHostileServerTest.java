package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.ops.KnownFailures;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.testing.TestTokens;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #12: servers that answer without end, trickle, mix reply codes, answer AUTH before the token, or speak plain
 * text to implicit TLS. The client stays bounded (bytes, lines, time) and says what happened.
 */
class SmtpHostileServerTest {

    static final String MAILBOX = SmtpConnectionProtocolTest.MAILBOX;

    private ScriptedSmtpServer scripted;
    private HostileServer hostile;

    @AfterEach
    void stop() throws Exception {
        if (scripted != null) {
            scripted.close();
        }
        if (hostile != null) {
            hostile.close();
        }
    }

    private static SmtpConnection open(TestSettings settings, String token) throws MessagingException {
        ConnectorSettings s = settings.build();
        return SmtpConnection.open(s, TlsSupport.socketFactory(s), TestTokens.sequence(token, token), MAILBOX);
    }

    private TestSettings hostileSettings() {
        return TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", hostile.port(), "starttls")
                .trust(SmtpConnectionProtocolTest.CERTS);
    }

    private TestSettings scriptedSettings() {
        return TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", scripted.port(), "starttls")
                .trust(SmtpConnectionProtocolTest.CERTS);
    }

    private ScriptedSmtpServer startTls() throws Exception {
        scripted = ScriptedSmtpServer.startTls(SmtpConnectionProtocolTest.CERTS.serverContext()).acceptTokens("t");
        return scripted;
    }

    private static MimeMessage message(String body) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(MAILBOX));
        m.addRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.org"));
        m.setSubject("test");
        m.setText(body);
        m.saveChanges();
        return m;
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
    void open_endlessMultiLineEhloReply_boundedFailureLongBeforeMemoryMatters() throws Exception {
        long cap = 64L * 1024 * 1024; // the server gives up here (old code: it held all of it, then EOF)
        hostile = HostileServer.plain(p -> {
            p.send("220 hostile ESMTP");
            p.readLine();
            p.flood("250-" + "X".repeat(70), cap);
        });
        MessagingException e = catchThrowableOfType(MessagingException.class, () -> open(hostileSettings(), "t"));
        assertThat(e.getMessage()).contains("OAM250", "SMTP server 127.0.0.1:" + hostile.port(), "(EHLO)",
                "10000 lines");
        assertThat(hostile.bytesSent()).as("bytes the server got to send before the client hung up")
                .isLessThan(16L * 1024 * 1024);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only: the old code waited for ever (each byte came within the read timeout)
    void open_trickledEhloReply_failsOnTheWholeReplyDeadline() throws Exception {
        hostile = HostileServer.plain(p -> {
            p.send("220 hostile ESMTP");
            p.readLine();
            for (int i = 0; i < 100_000; i++) {
                p.sendRaw(i % 6 == 5 ? "\n" : i % 6 == 4 ? "\r" : "250-x".substring(i % 6, i % 6 + 1));
                pace(20);
            }
        });
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> open(hostileSettings().set("read-timeout-ms", "500"), "t"));
        assertThat(e.getMessage()).contains("OAM260", "did not answer (EHLO) within 500 ms", "read-timeout-ms");
    }

    @Test
    void open_greeting421Throttled_sessionRefusedWithTheReplyTyped() throws Exception {
        hostile = HostileServer.plain(p -> p.send("421 4.3.2 Service not available, too many connections"));
        MessagingException e = catchThrowableOfType(MessagingException.class, () -> open(hostileSettings(), "t"));
        assertThat(e.getMessage()).isEqualTo("OAM261 SMTP server 127.0.0.1:" + hostile.port() + " refused the "
                + "connection: 421 4.3.2 Service not available, too many connections");
        MailFailure f = MailFailure.in(e);
        assertThat(f.messageId()).isEqualTo(MessageId.SMTP_SESSION_REFUSED);
        assertThat(f.replyCode()).isEqualTo(421);
        assertThat(f.enhancedStatus()).isEqualTo("4.3.2");
        assertThat(KnownFailures.classify(e)).isEqualTo(FailureKind.THROTTLED);
    }

    @Test
    void send_finalReplyWithMixedCodes_deliveryUnknownNeverSuccess() throws Exception {
        startTls().reply(".", "554-5.6.0 rejected: virus found\r\n250 2.0.0 queued");
        SmtpConnection c = open(scriptedSettings(), "t");
        MimeMessage m = message("x");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.deliveryUnknown()).isTrue();
        assertThat(e.safeToRetry()).isFalse();
        assertThat(e.getMessage()).contains("OAM213", "OAM251", "different codes", "554-5.6.0");
        assertThat(c.isOpen()).isFalse();
        c.close();
    }

    @Test
    void send_finalReplyWithMixedCodesReversed_deliveryUnknown() throws Exception {
        startTls().reply(".", "250-2.0.0 queued\r\n554 5.6.0 rejected: virus found");
        SmtpConnection c = open(scriptedSettings(), "t");
        MimeMessage m = message("x");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.deliveryUnknown()).isTrue();
        assertThat(e.getMessage()).contains("OAM251");
        c.close();
    }

    @Test
    void send_mailFromReplyWithMixedCodes_brokenBeforeDataSafeToRetry() throws Exception {
        startTls().reply("MAIL", "250-2.1.0 ok\r\n550 5.1.0 no");
        SmtpConnection c = open(scriptedSettings(), "t");
        MimeMessage m = message("x");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.connectionBroken()).isTrue();
        assertThat(e.safeToRetry()).isTrue();
        assertThat(e.deliveryUnknown()).isFalse();
        assertThat(e.getMessage()).contains("OAM214", "OAM251", "(MAIL)");
        assertThat(scripted.receivedVerb("DATA")).isFalse();
        c.close();
    }

    @Test
    void open_ehloReplyWithDifferentCodeInTheMiddle_refused() throws Exception {
        startTls().reply("EHLO", "250-scripted.test\r\n550-oops\r\n250-STARTTLS\r\n250 AUTH XOAUTH2");
        MessagingException e = catchThrowableOfType(MessagingException.class, () -> open(scriptedSettings(), "t"));
        assertThat(e.getMessage()).contains("OAM251", "(EHLO)", "550-oops");
        assertThat(scripted.receivedVerb("AUTH")).isFalse();
    }

    @Test
    void open_serverAnswersBareAuthWith235_protocolErrorAndTokenNeverSent() throws Exception {
        String token = "eyJ0eXAiOiJKV1Qi." + "x".repeat(2000) + ".sig"; // two-step AUTH: the bare command first
        startTls().reply("AUTH", "235 2.7.0 Authentication successful");
        MessagingException e = catchThrowableOfType(MessagingException.class, () -> open(scriptedSettings(), token));
        assertThat(e.getMessage()).contains("OAM254", "before the token was sent")
                .doesNotContain("supports this SASL mechanism");
        assertThat(scripted.received()).noneMatch(l -> l.contains(token.substring(0, 20)));
    }

    @Test
    void open_implicitTlsAgainstPlainServer_saysTlsHandshakeFailedWithImplicitTls() throws Exception {
        scripted = ScriptedSmtpServer.plain();
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> open(TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", scripted.port(), "implicit")
                        .trust(SmtpConnectionProtocolTest.CERTS), "t"));
        assertThat(e.getMessage()).contains("OAM205", "implicit TLS", "smtp.tls=starttls")
                .doesNotContain("STARTTLS reply");
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
    void send_fiveMegabytesToSteadySlowReader_deliveredOnceNoWatchdog() throws Exception {
        startTls().readRate(512 * 1024);
        SmtpConnection c = open(scriptedSettings().set("read-timeout-ms", "4000"), "t");
        StringBuilder body = new StringBuilder(5 * 1024 * 1024 + 100);
        String line = "0123456789".repeat(7) + "\r\n";
        while (body.length() < 5 * 1024 * 1024) {
            body.append(line);
        }
        MimeMessage m = message(body.toString());
        c.send(m, m.getAllRecipients());
        assertThat(scripted.messages()).hasSize(1);
        assertThat(scripted.messages().get(0).length()).isGreaterThan(5 * 1024 * 1024);
        assertThat(scripted.received().stream().filter("DATA"::equals)).hasSize(1);
        c.close();
    }

    static void pace(long millis) {
        try {
            Thread.sleep(millis); // pacing of a trickling server, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
