package io.github.oauth2mail.it.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import io.github.oauth2mail.it.support.ServerLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 on Payara Micro: the client secret comes from a MicroProfile Config secret directory (Payara's
 * {@code set-config-dir}, one file per key, as Kubernetes mounts secrets), not from the environment. The secret is
 * rotated at the identity provider (the old one deleted: the issuer rejects it) while the app sends; sends fail; the
 * admin writes the new secret into the file in place (no restart, no JMX, no asadmin): sends recover within seconds.
 * The steps are the ones of docs/payara.md, "Rotating the client secret without a restart".
 *
 * <p>What makes it work on Payara Micro 6.2025.10 (read from Payara's source, see docs/payara.md): the directory
 * source ({@code DirConfigSource}) reads a file again when it is modified in place; every MicroProfile {@code Config}
 * ({@code PayaraConfig}) then keeps a value for its cache duration, 60 s by default, fixed when that Config is built.
 * {@code set-config-cache --duration 1} in the post-boot file, before the deployments, makes it 1 s: without it the
 * connector saw the new secret after 45 s in one run here, with it after about 1 s.
 */
class SecretRotationOnPayaraIT {

    private static final String OLD_SECRET = "rotation-old-secret-Hq27d";
    private static final String NEW_SECRET = "rotation-new-secret-Wm55p";
    private static final String KEY = "oauth2mail." + ConnectorFixture.CONFIG_NAME + ".client-secret";
    /**
     * How long a fixed secret may take to be seen: Payara's watcher (about 1 s), the MicroProfile Config cache (1 s
     * here), the connector's reading again while the secret is rejected (at most once a second), one token request.
     * Well below Payara's default cache duration: with 60 s the new secret is seen up to 60 s after the fix.
     */
    private static final Duration RECOVERY = Duration.ofSeconds(20);
    /** Short tokens: pooled SMTP connections log in again once theirs runs out, so a rejected secret shows soon. */
    private static final long TOKEN_LIFETIME_SECONDS = 15;

    private static Path secrets;
    private static ConnectorFixture fixture;
    private static SampleAppClient app;

    @BeforeAll
    static void start() throws IOException {
        secrets = Files.createDirectories(Layout.work("ops-secret-rotation").resolve("secrets"));
        write(OLD_SECRET);
        fixture = ConnectorFixture.builder("ops-secret-rotation")
                .env("OAUTH2MAIL_DEMO_CLIENT_SECRET", null) // the environment would win over the directory
                .postBootCommand("set-config-dir --directory " + secrets)
                .postBootCommand("set-config-cache --duration 1")
                .tokenLifetimeSeconds(TOKEN_LIFETIME_SECONDS)
                .start();
        fixture.issuer().clientSecret(OLD_SECRET);
        app = fixture.app();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void send_secretRotatedAtIssuerThenFileRewritten_recoversWithoutRestart() throws IOException {
        Reply first = app.send("someone@example.org", "before rotation", "secret from the secret directory");
        assertThat(first.status()).as("the client secret is read from the secret directory: " + first.body())
                .isEqualTo(200);

        // the old secret is deleted at the identity provider: once the token issued with it runs out, sends fail
        fixture.issuer().clientSecret(NEW_SECRET);
        await("a send fails with the old secret").atMost(Duration.ofSeconds(TOKEN_LIFETIME_SECONDS + 60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !app.send("someone@example.org", "old secret", "rejected once the token runs out").ok());
        assertThat(fixture.payara().log()).as("the identity provider's rejection is logged").contains("invalid_client");
        int issuedBeforeFix = fixture.issuer().issuedCount();

        write(NEW_SECRET); // the admin's fix: the new secret in the file, nothing else

        await("a send succeeds with the rewritten secret file").atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> app.send("someone@example.org", "after rotation", "new secret").ok());
        assertThat(fixture.issuer().issuedCount()).as("a token was issued for the new secret")
                .isGreaterThan(issuedBeforeFix);
        assertThat(fixture.payara().log()).as("the reload names the credential (OAM120)").contains("OAM120")
                .contains("client-secret");
        ServerLog.assertNoSecret(fixture.payara(), Map.of("old secret", OLD_SECRET, "new secret", NEW_SECRET));
    }

    /**
     * Rewrites the secret file in place, as {@code printf '%s' "$NEW" > file} does. Payara 6.2025.10's directory source
     * reads a file again on a modification event; a file moved over the old one ({@code mv}) is not read again
     * (docs/payara.md).
     */
    private static void write(String secret) throws IOException {
        Files.writeString(secrets.resolve(KEY), secret);
    }
}
