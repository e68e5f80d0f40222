package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.MAILBOX;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.ops.ConnectorMetrics;
import io.github.oauth2mail.ops.Health;
import io.github.oauth2mail.ops.HealthCheck;
import io.github.oauth2mail.testing.LogCapture;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, expiry warnings, in fake time: {@code credential-expires} for a client secret, a certificate's
 * {@code notAfter}; OAM119 once per threshold (30, 7, 1 days) however many tokens are fetched; health names it while
 * UP (OAM434); the MBean shows it.
 */
class CredentialExpiryTest {

    @TempDir
    Path dir;

    FakeTime time = new FakeTime();
    ScriptedSource source;
    TokenRefresher refresher;
    LogCapture log;

    @BeforeEach
    void capture() {
        log = new LogCapture();
    }

    @AfterEach
    void close() {
        if (refresher != null) {
            refresher.close();
        }
        log.close();
    }

    private TokenRefresher refresher(Map<String, String> keys) {
        ConnectorSettings s = ConnectorSettings.load(TokenFixtures.NAME, SettingsSource.of(keys), Map.of());
        source = new ScriptedSource(time, "client-secret");
        refresher = new TokenRefresher(s, List.of(source), RefreshTiming.DEFAULT, time, time,
                new TokenRefresherFakeTimeTest.DirectExecutor());
        return refresher;
    }

    private static Map<String, String> secretKeys(String expires) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(key("provider"), "oauth2");
        keys.put(key("token-endpoint"), "https://idp.example.com/token");
        keys.put(key("client-id"), TokenFixtures.CLIENT_ID);
        keys.put(key("client-secret"), TokenFixtures.SECRET);
        keys.put(key("scope"), "mail.send");
        keys.put(key("mailbox"), MAILBOX);
        keys.put(key("credential-expires"), expires);
        return keys;
    }

    private List<String> warnings() {
        return log.lines().stream().filter(l -> l.contains("OAM119")).collect(Collectors.toList());
    }

    @Test
    void refreshes_secretWithCredentialExpiresOverSixtyDays_oneWarningPerThresholdNamingResourceCredentialDate()
            throws Exception {
        TokenRefresher r = refresher(secretKeys("2030-03-01")); // fake time starts 2030-01-01T00:00Z
        r.token(MAILBOX);

        time.advance(Duration.ofDays(28)); // 31 days left, about 1,300 background refreshes later
        assertThat(warnings()).isEmpty();

        time.advance(Duration.ofDays(1).plusHours(1)); // less than 30 days left
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0)).contains("WARNING", "OAM119", "'office365'", "client-secret",
                "2030-03-01T00:00:00Z", key("client-secret")).containsPattern("\\(in (29|30) days")
                .doesNotContain(TokenFixtures.SECRET);

        time.advance(Duration.ofDays(22)); // 2030-02-21T01:00: 7 days 23 h left
        assertThat(warnings()).hasSize(1);
        time.advance(Duration.ofDays(1)); // 6 days 23 h left
        assertThat(warnings()).hasSize(2);
        time.advance(Duration.ofDays(6)); // 2030-02-28T01:00: 23 h left
        assertThat(warnings()).hasSize(3);
        r.status();
        r.status();
        assertThat(warnings()).hasSize(3);
        assertThat(source.requests().size()).as("the checks ran with every fetch").isGreaterThan(2500);

        TokenStatus status = r.status();
        assertThat(status.expiringCredential()).isEqualTo("client-secret");
        assertThat(status.credentialExpiresAt()).isEqualTo(Instant.parse("2030-03-01T00:00:00Z"));
        Health h = HealthCheck.withCredentialExpiry(HealthCheck.evaluate(status, null, null, "smtp", "smtp", 0, 0,
                null, time.instant()), status, time.instant());
        assertThat(h.up()).isTrue();
        assertThat(h.reason()).contains("OAM434", "client-secret", "'office365'", "2030-03-01T00:00:00Z", "(in 0 days)");
        assertThat(h.data()).containsEntry("credentialExpiresAt", "2030-03-01T00:00:00Z");
    }

    @Test
    void health_expiryMoreThanThirtyDaysAway_reasonUnchangedButDataHasIt() throws Exception {
        TokenRefresher r = refresher(secretKeys("2030-06-01"));
        r.token(MAILBOX);
        TokenStatus status = r.status();

        Health h = HealthCheck.withCredentialExpiry(HealthCheck.evaluate(status, null, null, "smtp", "smtp", 0, 0,
                null, time.instant()), status, time.instant());

        assertThat(h.reason()).doesNotContain("OAM434").startsWith("access token valid");
        assertThat(h.data()).containsEntry("expiringCredential", "client-secret");
        assertThat(warnings()).isEmpty();
    }

    @Test
    void status_certificateNotAfter_isTheExpiryWarnedOnceAndShownAsMBeanAttribute() throws Exception {
        Path p12 = TokenFixtures.clientPkcs12(dir); // valid for 30 days from now
        time = new FakeTime(Instant.now().plus(Duration.ofHours(1)));
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(key("provider"), "entra");
        keys.put(key("tenant-id"), TokenFixtures.TENANT);
        keys.put(key("client-id"), TokenFixtures.CLIENT_ID);
        keys.put(key("certificate-path"), p12.toString());
        keys.put(key("certificate-password"), TokenFixtures.CERT_PASSWORD);
        keys.put(key("mailbox"), MAILBOX);
        TokenRefresher r = refresher(keys);
        Instant notAfter = r.status().credentialExpiresAt();
        java.security.cert.X509Certificate cert = ConnectorSettings.load(TokenFixtures.NAME, SettingsSource.of(keys),
                Map.of()).certificate().orElseThrow().certificate();

        assertThat(notAfter).isEqualTo(cert.getNotAfter().toInstant());
        assertThat(r.status().expiringCredential()).isEqualTo("certificate-path");
        r.token(MAILBOX);
        r.status();
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0)).contains("OAM119", "certificate-path", notAfter.toString())
                .doesNotContain(TokenFixtures.CERT_PASSWORD);

        try (ConnectorMetrics metrics = ConnectorMetrics.start(
                ConnectorSettings.load(TokenFixtures.NAME, SettingsSource.of(keys), Map.of()), null, r)) {
            ObjectName name = metrics.objectName();
            var jmx = ManagementFactory.getPlatformMBeanServer();
            assertThat(jmx.getAttribute(name, "CredentialExpiry")).isEqualTo(Date.from(notAfter));
            assertThat(jmx.getAttribute(name, "ExpiringCredential")).isEqualTo("certificate-path");
            assertThat((Long) jmx.getAttribute(name, "CredentialExpiryDays")).isBetween(28L, 30L);
        }
    }
}
