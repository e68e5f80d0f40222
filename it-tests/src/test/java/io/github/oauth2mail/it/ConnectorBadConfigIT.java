package io.github.oauth2mail.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import io.github.oauth2mail.it.support.ServerLog;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CONNECTOR TEST (needs the adapter .rar; skipped until it is built). What an admin sees when the configuration is
 * wrong: the app gets a clear 5xx, the server log names the key (or the identity provider's error), and no secret
 * appears anywhere in the server log, even with the protocol trace on. One Payara Micro start per configuration.
 */
class ConnectorBadConfigIT {

    /** What the admin typed instead of {@link ConnectorFixture#CLIENT_SECRET}. */
    private static final String WRONG_SECRET = "wrong-client-secret-Pq27";

    @Test
    void send_mailboxMissing_failsAndServerLogNamesTheKeyWithoutSecrets() throws Exception {
        try (ConnectorFixture fixture = ConnectorFixture.builder("bad-config-no-mailbox")
                .env("OAUTH2MAIL_DEMO_MAILBOX", null)
                .env("OAUTH2MAIL_DEMO_MAIL_DEBUG", "true")
                .env("OAUTH2MAIL_LOG_LEVEL", "FINEST")
                .start()) {

            Reply reply = fixture.app().send("someone@example.org", "never sent", "no mailbox configured");

            assertThat(reply.status()).as(reply.body()).isGreaterThanOrEqualTo(500);
            assertThat(fixture.mail().received()).isEmpty();
            assertThat(fixture.mail().smtpLogins()).isEmpty();
            ServerLog.awaitMentions(fixture.payara(), "oauth2mail.demo.mailbox");
            ServerLog.assertNoSecret(fixture.payara(), Map.of("client secret", ConnectorFixture.CLIENT_SECRET,
                    "trust store password", ConnectorFixture.TRUST_STORE_PASSWORD));
        }
    }

    @Test
    void send_wrongClientSecret_failsWithTheProvidersErrorAndNoSecretInTheLog() throws Exception {
        try (ConnectorFixture fixture = ConnectorFixture.builder("bad-config-wrong-secret")
                .env("OAUTH2MAIL_DEMO_CLIENT_SECRET", WRONG_SECRET)
                .env("OAUTH2MAIL_DEMO_MAIL_DEBUG", "true")
                .env("OAUTH2MAIL_LOG_LEVEL", "FINEST")
                .start()) {

            Reply reply = fixture.app().send("someone@example.org", "never sent", "wrong client secret");

            assertThat(reply.status()).as(reply.body()).isGreaterThanOrEqualTo(500);
            assertThat(fixture.mail().received()).isEmpty();
            assertThat(fixture.mail().smtpLogins()).isEmpty();
            assertThat(fixture.issuer().requestCount()).isPositive();
            assertThat(fixture.issuer().issuedCount()).isZero();
            // the identity provider's error code and the client id tell the admin what to fix
            ServerLog.awaitMentions(fixture.payara(), "invalid_client", ConnectorFixture.CLIENT_ID);
            assertThat(reply.body()).doesNotContain(WRONG_SECRET);
            ServerLog.assertNoSecret(fixture.payara(), Map.of("configured (wrong) client secret", WRONG_SECRET,
                    "trust store password", ConnectorFixture.TRUST_STORE_PASSWORD));
        }
    }
}
