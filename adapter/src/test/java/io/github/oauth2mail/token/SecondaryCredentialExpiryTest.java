package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.MAILBOX;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.config.ConfigurationException;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.ops.Health;
import io.github.oauth2mail.ops.HealthCheck;
import io.github.oauth2mail.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, expiry warnings for the secondary client secret ({@code secondary.credential-expires}): the admin who
 * staged the next secret knows its expiry date too; it is warned about like the primary's (OAM119 at 30, 7 and 1
 * days), and when it is the sooner one the MBean, health (OAM434) and the diagnostic name it.
 */
class SecondaryCredentialExpiryTest {

    private static final String SECONDARY_SECRET = "secondary-secret-Zq81x";

    FakeTime time = new FakeTime(); // 2030-01-01T00:00Z
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

    private static Map<String, String> keys(String primaryExpires, String secondaryExpires) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(key("provider"), "oauth2");
        keys.put(key("token-endpoint"), "https://idp.example.com/token");
        keys.put(key("client-id"), TokenFixtures.CLIENT_ID);
        keys.put(key("client-secret"), TokenFixtures.SECRET);
        keys.put(key("scope"), "mail.send");
        keys.put(key("mailbox"), MAILBOX);
        if (primaryExpires != null) {
            keys.put(key("credential-expires"), primaryExpires);
        }
        keys.put(key("secondary.client-secret"), SECONDARY_SECRET);
        if (secondaryExpires != null) {
            keys.put(key("secondary.credential-expires"), secondaryExpires);
        }
        return keys;
    }

    private TokenRefresher refresher(Map<String, String> keys) {
        ConnectorSettings s = ConnectorSettings.load(TokenFixtures.NAME, SettingsSource.of(keys), Map.of());
        refresher = new TokenRefresher(s, List.of(new ScriptedSource(time, "client-secret")), RefreshTiming.DEFAULT,
                time, time, new TokenRefresherFakeTimeTest.DirectExecutor());
        return refresher;
    }

    private List<String> warnings() {
        return log.lines().stream().filter(l -> l.contains("OAM119")).collect(Collectors.toList());
    }

    @Test
    void refreshes_secondarySecretExpiresBeforePrimary_warnsPerThresholdNamingSecondaryAndStatusShowsIt()
            throws Exception {
        TokenRefresher r = refresher(keys("2031-01-01", "2030-01-21")); // secondary: 20 days left
        r.token(MAILBOX);

        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0)).contains("WARNING", "OAM119", "'office365'", "credential secondary.client-secret",
                "2030-01-21T00:00:00Z", "(in 20 days", key("secondary.client-secret"))
                .doesNotContain(SECONDARY_SECRET).doesNotContain(TokenFixtures.SECRET);

        time.advance(Duration.ofDays(13).plusHours(1)); // 6 days 23 h left
        r.status();
        assertThat(warnings()).hasSize(2);
        assertThat(warnings().get(1)).contains("credential secondary.client-secret")
                .containsPattern("\\(in (7 days 0|6 days \\d+) h\\)");
        r.status();
        assertThat(warnings()).as("once per threshold").hasSize(2);

        TokenStatus status = r.status();
        assertThat(status.expiringCredential()).isEqualTo("secondary.client-secret");
        assertThat(status.credentialExpiresAt()).isEqualTo(Instant.parse("2030-01-21T00:00:00Z"));
        Health h = HealthCheck.withCredentialExpiry(HealthCheck.evaluate(status, null, null, "smtp", "smtp", 0, 0,
                null, time.instant()), status, time.instant());
        assertThat(h.up()).isTrue();
        assertThat(h.reason()).contains("OAM434", "secondary.client-secret", "2030-01-21T00:00:00Z");
    }

    @Test
    void of_bothDatesSet_listsPrimaryAndSecondarySoonestFirst() {
        ConnectorSettings s = ConnectorSettings.load(TokenFixtures.NAME,
                SettingsSource.of(keys("2030-02-01", "2030-06-30")), Map.of());

        assertThat(CredentialExpiry.of(s)).containsExactly(
                new CredentialExpiry.Entry("client-secret", Instant.parse("2030-02-01T00:00:00Z")),
                new CredentialExpiry.Entry("secondary.client-secret", Instant.parse("2030-06-30T00:00:00Z")));
    }

    @Test
    void load_secondaryCredentialExpiresInvalid_namesTheKeyAndWhy() {
        Map<String, String> badDate = keys(null, "30.06.2030");
        assertThatThrownBy(() -> ConnectorSettings.load(TokenFixtures.NAME, SettingsSource.of(badDate), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(key("secondary.credential-expires"))
                .hasMessageContaining("'30.06.2030' is not an ISO date");

        Map<String, String> noSecondary = keys(null, "2030-06-30");
        noSecondary.remove(key("secondary.client-secret"));
        assertThatThrownBy(() -> ConnectorSettings.load(TokenFixtures.NAME, SettingsSource.of(noSecondary), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(key("secondary.credential-expires"))
                .hasMessageContaining(key("secondary.client-secret"));
    }
}
