package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.testing.TestTokens;
import io.github.oauth2mail.token.TokenException;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SmtpConnection} against GreenMail's SMTPS listener (GreenMail has no STARTTLS), XOAUTH2 checked. */
class SmtpConnectionGreenMailTest {

    static final String MAILBOX = "sender@example.com";
    static final String TOKEN = "good-token";

    static final TestCertificates CERTS = GreenMailTls.certificates();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTPS.dynamicPort(), ServerSetupTest.IMAPS.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, MAILBOX, TOKEN));

    private ConnectorSettings settings() {
        return TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", GREEN_MAIL.getSmtps().getPort(), "implicit")
                .trust(CERTS).build();
    }

    private SmtpConnection open(TestTokens tokens) throws MessagingException {
        ConnectorSettings s = settings();
        return SmtpConnection.open(s, TlsSupport.socketFactory(s), tokens, MAILBOX);
    }

    private static MimeMessage message(String subject, String body, String... to) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(MAILBOX));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
        }
        m.setSubject(subject);
        m.setText(body, "UTF-8");
        m.saveChanges();
        return m;
    }

    @Test
    void send_validToken_messageArrivesWithSenderRecipientsSubjectAndBody() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN);
        String body = "Hello\r\n.a line that starts with a dot\r\n..two dots\r\nlast line";
        try (SmtpConnection c = open(tokens)) {
            MimeMessage m = message("Quarterly report", body, "alice@example.org", "bob@example.net");
            c.send(m, m.getAllRecipients());
            assertThat(c.mailbox()).isEqualTo(MAILBOX);
            assertThat(c.tokenExpiresAt()).isEqualTo(tokens.expiresAt());
            assertThat(c.isOpen()).isTrue();
        }

        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage got = received[0];
        assertThat(got.getSubject()).isEqualTo("Quarterly report");
        assertThat(Arrays.stream(got.getFrom()).map(Address::toString)).containsExactly(MAILBOX);
        assertThat(Arrays.stream(got.getAllRecipients()).map(Address::toString))
                .containsExactly("alice@example.org", "bob@example.net");
        assertThat(((String) got.getContent()).replace("\r\n", "\n")).isEqualTo(body.replace("\r\n", "\n"));
        assertThat(tokens.invalidatedValues()).isEmpty();
    }

    @Test
    void send_withBcc_bccRecipientGetsMessageButNoBccHeaderIsTransmitted() throws Exception {
        try (SmtpConnection c = open(TestTokens.sequence(TOKEN))) {
            MimeMessage m = message("with bcc", "body", "alice@example.org");
            m.addRecipient(Message.RecipientType.BCC, new InternetAddress("hidden@example.net"));
            m.saveChanges();
            c.send(m, m.getAllRecipients());
        }
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).hasSize(2);
        for (MimeMessage got : received) {
            assertThat(got.getHeader("Bcc")).isNull();
        }
        assertThat(GREEN_MAIL.getUserManager().getUserByEmail("hidden@example.net")).isNotNull();
    }

    @Test
    void send_twoMessagesOnOneConnection_bothArrive() throws Exception {
        try (SmtpConnection c = open(TestTokens.sequence(TOKEN))) {
            MimeMessage one = message("one", "first", "alice@example.org");
            MimeMessage two = message("two", "second", "alice@example.org");
            c.send(one, one.getAllRecipients());
            assertThat(c.noop()).isTrue();
            c.send(two, two.getAllRecipients());
        }
        assertThat(Arrays.stream(GREEN_MAIL.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        })).containsExactly("one", "two");
    }

    @Test
    void open_staleToken_invalidatesOnceAndFreshTokenIsAccepted() throws Exception {
        TestTokens tokens = TestTokens.sequence("stale-token", TOKEN);
        try (SmtpConnection c = open(tokens)) {
            MimeMessage m = message("after refresh", "body", "alice@example.org");
            c.send(m, m.getAllRecipients());
        }
        assertThat(tokens.invalidatedValues()).containsExactly("stale-token");
        assertThat(tokens.requests()).isEqualTo(2);
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(1);
    }

    @Test
    void open_tokenRejectedTwice_authenticationFailedWithServerReply() {
        TestTokens tokens = TestTokens.sequence("revoked-1", "revoked-2");
        AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class,
                () -> open(tokens));
        assertThat(e).isInstanceOf(SmtpAuthenticationException.class);
        assertThat(e.getMessage()).contains("535 5.7.8", MAILBOX, "freshly fetched", "Likely fix")
                .doesNotContain("revoked-1", "revoked-2");
        assertThat(((SmtpAuthenticationException) e).replyCode()).isEqualTo(535);
        assertThat(tokens.invalidatedValues()).containsExactly("revoked-1");
    }

    @Test
    void open_tokenUnavailable_messagingExceptionWithTokenMessageAndCause() {
        TokenException failure = new TokenException(MessageId.TOKEN_REQUEST_REJECTED, TokenException.Kind.PERMANENT,
                "token endpoint rejected the client (invalid_client)", "invalid_client", null, null);
        TestTokens tokens = TestTokens.sequence(TOKEN).failingWith(failure);
        assertThatThrownBy(() -> open(tokens)).isInstanceOf(MessagingException.class)
                .hasMessage(failure.getMessage()).hasCause(failure);
    }

    @Test
    void send_serverStopped_failsWithConnectionBrokenAndSafeToRetry() throws Exception {
        SmtpConnection c = open(TestTokens.sequence(TOKEN));
        int port = GREEN_MAIL.getSmtps().getPort();
        // GreenMail's stop waits for its connection handler, which is blocked reading our idle connection
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(GREEN_MAIL::stop);
        await().atMost(Duration.ofSeconds(20)).until(() -> !accepts(port));
        MimeMessage m = message("lost", "body", "alice@example.org");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        stopping.get(20, TimeUnit.SECONDS);
        assertThat(e.connectionBroken()).isTrue();
        assertThat(e.safeToRetry()).isTrue();
        assertThat(e.deliveryUnknown()).isFalse();
        assertThat(c.isOpen()).isFalse();
        assertThat(c.noop()).isFalse();
        c.close();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void send_recipientWithCrLf_rejectedBeforeAnyCommandAndConnectionStaysUsable() throws Exception {
        try (SmtpConnection c = open(TestTokens.sequence(TOKEN))) {
            InternetAddress evil = new InternetAddress();
            evil.setAddress("victim@example.org>\r\nRCPT TO:<evil@evil.example");
            MimeMessage m = message("injected", "body", "alice@example.org");
            SmtpSendException e = catchThrowableOfType(SmtpSendException.class,
                    () -> c.send(m, new Address[] {new InternetAddress("alice@example.org"), evil}));
            assertThat(e.getInvalidAddresses()).containsExactly(evil);
            assertThat(e.getMessage()).contains("control or line-break").doesNotContain("\r", "\n");
            assertThat(e.connectionBroken()).isFalse();
            assertThat(e.safeToRetry()).isFalse();

            MimeMessage ok = message("clean", "body", "alice@example.org");
            c.send(ok, ok.getAllRecipients());
        }
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("clean");
        assertThat(GREEN_MAIL.getUserManager().getUserByEmail("evil@evil.example")).isNull();
    }

    @Test
    void close_calledTwice_isIdempotent() throws Exception {
        SmtpConnection c = open(TestTokens.sequence(TOKEN));
        c.close();
        c.close();
        assertThat(c.isOpen()).isFalse();
        MimeMessage m = message("after close", "body", "alice@example.org");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.connectionBroken()).isTrue();
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }
}
