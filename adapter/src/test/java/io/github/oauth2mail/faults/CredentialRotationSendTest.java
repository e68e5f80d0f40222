package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.LogCapture;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, rotation without restart, as an app sees it: {@code Transport.send} through a connector Session while the
 * client secret is rotated at the identity provider and then fixed in the config source. No restart, no JMX call.
 */
class CredentialRotationSendTest extends FaultTestSupport {

    static final String OLD_SECRET = "send-rotation-old-secret-M4p8";
    static final String NEW_SECRET = "send-rotation-new-secret-R6t2";

    @Test
    void send_secretRotatedAtProviderThenFixedInConfigSource_sendsRecoverWithinSecondsWithoutRestart()
            throws Exception {
        startServer(T1);
        ConnectorKeys keys = keys("rotate").set("client-auth", "client_secret_post").set("client-secret", OLD_SECRET);
        issuer.stubTokenOnlyFor("client_secret", OLD_SECRET, T1, 3600);
        Session session = session(factory(keys));
        try (LogCapture log = new LogCapture()) {
            Transport.send(message(session, ALICE, "before rotation"));

            // the old secret is revoked at the provider, and with it the tokens it got
            issuer.stubTokenOnlyFor("client_secret", NEW_SECRET, T2, 3600);
            server.acceptTokens(T2);
            server.dropConnections();
            assertThatThrownBy(() -> Transport.send(message(session, ALICE, "while revoked")))
                    .isInstanceOf(MessagingException.class).hasMessageContaining("AADSTS7000215");

            // the admin puts the new secret into the config source
            keys.set("client-secret", NEW_SECRET);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    Transport.send(message(session, ALICE, "after the fix"));
                    return true;
                } catch (MessagingException e) {
                    return false;
                }
            });

            assertThat(server.messages()).anySatisfy(m -> assertThat(m).contains("Subject: before rotation"))
                    .anySatisfy(m -> assertThat(m).contains("Subject: after the fix"));
            assertThat(authTokens()).endsWith(T2);
            assertThat(issuer.lastRequestForm()).containsEntry("client_secret", NEW_SECRET);
            assertThat(log.all()).contains("OAM408 credential reloaded", "credential=client-secret")
                    .doesNotContain(OLD_SECRET).doesNotContain(NEW_SECRET);
        }
    }
}
