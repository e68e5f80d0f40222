package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.testing.TestTokens;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** With mail-debug on and every logger at FINEST, no token and no SASL response reaches a log or an exception. */
class SecretLoggingTest {

    static final String MAILBOX = "sender@example.com";
    static final TestCertificates CERTS = TestCertificates.in(Path.of("target", "test-certs", "scripted"),
            "localhost", "127.0.0.1");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    void protocolTrace_mailDebugAtFinest_containsNoTokenNorSaslResponse() throws Exception {
        String longToken = "LONG-SECRET-" + "L".repeat(1800);
        String shortToken = "SHORT-SECRET-TOKEN";
        String bearerToken = "BEARER-SECRET-TOKEN";
        List<String> secrets = new ArrayList<>(List.of(longToken, shortToken, bearerToken, "REJECTED-SECRET-1",
                "REJECTED-SECRET-2"));
        List<String> exceptions = new ArrayList<>();
        try (LogCapture log = new LogCapture();
             ScriptedSmtpServer server = ScriptedSmtpServer.startTls(CERTS.serverContext())
                     .acceptTokens(longToken, shortToken, bearerToken)) {
            TestSettings base = TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", server.port(), "starttls").trust(CERTS)
                    .set("mail-debug", "true");
            // two-step XOAUTH2 with a long token, then a send
            try (SmtpConnection c = open(base.build(), TestTokens.sequence(longToken))) {
                MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
                m.setFrom(new InternetAddress(MAILBOX));
                m.addRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.org"));
                m.setText("hello");
                c.send(m, m.getAllRecipients());
            }
            // inline XOAUTH2 after a rejected token
            open(base.build(), TestTokens.sequence("REJECTED-SECRET-1", shortToken)).close();
            // OAUTHBEARER
            open(base.set("sasl-mechanism", "OAUTHBEARER").build(), TestTokens.sequence(bearerToken)).close();
            // rejected twice: the exception and its suppressed first failure
            exceptions.add(stackTrace(catchThrowableOfType(SmtpAuthenticationException.class,
                    () -> open(base.set("sasl-mechanism", "XOAUTH2").build(),
                            TestTokens.sequence("REJECTED-SECRET-1", "REJECTED-SECRET-2")))));

            for (String decoded : server.authResponses()) {
                secrets.add(b64(decoded));
            }
            assertThat(server.authResponses()).hasSize(6);
            String logs = log.all();
            assertThat(logs).contains("OAM200", "<redacted>", "C: MAIL FROM:<" + MAILBOX + ">", "S: 235");
            for (String secret : secrets) {
                assertThat(logs).doesNotContain(secret);
                assertThat(String.join("\n", exceptions)).doesNotContain(secret);
            }
            assertThat(logs).doesNotContain(b64(longToken).substring(0, 40));
        }
    }

    private static SmtpConnection open(ConnectorSettings s, TestTokens tokens) throws Exception {
        return SmtpConnection.open(s, TlsSupport.socketFactory(s), tokens, MAILBOX);
    }
}
