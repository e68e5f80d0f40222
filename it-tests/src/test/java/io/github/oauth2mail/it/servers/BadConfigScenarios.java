package io.github.oauth2mail.it.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an admin sees when the configuration is wrong, on another server: the app gets a 5xx, the server log names the
 * key (or the identity provider's error and the client id), and no secret appears in the log. One start each.
 */
public abstract class BadConfigScenarios {

    private static final String WRONG_SECRET = "wrong-client-secret-Pq27";

    protected abstract ServerFixture.Launcher launcher();

    /** True: the connector is configured to send through Microsoft Graph (the emulator) instead of SMTP. */
    protected boolean viaGraph() {
        return false;
    }

    @Test
    void send_mailboxMissing_failsAndServerLogNamesTheKeyWithoutSecrets() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OAUTH2MAIL_DEMO_MAILBOX", null);
        env.put("OAUTH2MAIL_DEMO_MAIL_DEBUG", "true");
        try (ServerFixture fixture = ServerFixture.start(getClass().getSimpleName() + "-no-mailbox", launcher(), env,
                3600, viaGraph())) {

            Reply reply = fixture.app().send("someone@example.org", "never sent", "no mailbox configured");

            assertThat(reply.status()).as(reply.body()).isGreaterThanOrEqualTo(500);
            assertThat(fixture.mail().received()).isEmpty();
            assertThat(fixture.submissions()).isEmpty();
            assertThat(fixture.issuer().requestCount()).isZero();
            Logs.awaitMentions(fixture.server(), "oauth2mail.demo.mailbox");
            Logs.assertNoSecret(fixture.server(), Map.of("client secret", ConnectorFixture.CLIENT_SECRET,
                    "trust store password", ConnectorFixture.TRUST_STORE_PASSWORD));
        }
    }

    @Test
    void send_wrongClientSecret_failsWithTheProvidersErrorAndNoSecretInTheLog() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OAUTH2MAIL_DEMO_CLIENT_SECRET", WRONG_SECRET);
        env.put("OAUTH2MAIL_DEMO_MAIL_DEBUG", "true");
        try (ServerFixture fixture = ServerFixture.start(getClass().getSimpleName() + "-wrong-secret", launcher(), env,
                3600, viaGraph())) {

            Reply reply = fixture.app().send("someone@example.org", "never sent", "wrong client secret");

            assertThat(reply.status()).as(reply.body()).isGreaterThanOrEqualTo(500);
            assertThat(fixture.mail().received()).isEmpty();
            assertThat(fixture.submissions()).isEmpty();
            assertThat(fixture.issuer().requestCount()).isPositive();
            assertThat(fixture.issuer().issuedCount()).isZero();
            Logs.awaitMentions(fixture.server(), "invalid_client", ConnectorFixture.CLIENT_ID);
            assertThat(reply.body()).doesNotContain(WRONG_SECRET);
            Logs.assertNoSecret(fixture.server(), Map.of("configured (wrong) client secret", WRONG_SECRET,
                    "trust store password", ConnectorFixture.TRUST_STORE_PASSWORD));
        }
    }
}
