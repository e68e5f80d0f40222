package io.github.oauth2mail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15: the diagnostic command reports the secondary client secret's expiry next to the primary's. */
class SecondaryExpiryDiagnoseTest {

    private static final String SECONDARY_SECRET = "secondary-secret-Pp40d";

    @Test
    void reportExpiry_secondaryCredentialExpires_oneLinePerSecretWithTheKeyToFillAndNoValue() {
        Map<String, String> m = new HashMap<>();
        m.put("oauth2mail.diag.provider", "oauth2");
        m.put("oauth2mail.diag.token-endpoint", "https://idp.example.com/token");
        m.put("oauth2mail.diag.client-id", "client");
        m.put("oauth2mail.diag.client-secret", "primary-secret-Kk12a");
        m.put("oauth2mail.diag.scope", "mail.send");
        m.put("oauth2mail.diag.mailbox", "app@example.com");
        m.put("oauth2mail.diag.credential-expires", "2030-12-31");
        m.put("oauth2mail.diag.secondary.client-secret", SECONDARY_SECRET);
        m.put("oauth2mail.diag.secondary.credential-expires", "2030-01-06");
        ConnectorSettings s = ConnectorSettings.load("diag", SettingsSource.of(m), Map.of());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Diagnose.reportExpiry(new Report(new PrintStream(buf, true, StandardCharsets.UTF_8)), s,
                Instant.parse("2030-01-01T00:00:00Z"));

        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("[ OK ] expiry of secondary.client-secret: 2030-01-06T00:00:00Z (in 5 days 0 h); "
                + "OAM119: create the next one and put it into oauth2mail.diag.secondary.client-secret (read again "
                + "without a restart)" + System.lineSeparator()
                + "[ OK ] expiry of client-secret: 2030-12-31T00:00:00Z (in 364 days 0 h)" + System.lineSeparator());
    }
}
