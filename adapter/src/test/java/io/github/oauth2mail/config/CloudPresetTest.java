package io.github.oauth2mail.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code cloud} preset sets authority, Entra scope and mail hosts; explicit keys win; unknown values are OAM001. */
class CloudPresetTest {

    private static final String P = "oauth2mail.gov.";

    private static Map<String, String> entra() {
        Map<String, String> m = new HashMap<>();
        m.put(P + "tenant-id", "contoso");
        m.put(P + "client-id", "app-1");
        m.put(P + "client-secret", "s3cret-value");
        m.put(P + "mailbox", "alerts@contoso.us");
        return m;
    }

    private static ConnectorSettings load(Map<String, String> keys) {
        return ConnectorSettings.load("gov", SettingsSource.of(keys), Map.of());
    }

    @ParameterizedTest
    @CsvSource({
        "global,    https://login.microsoftonline.com/contoso/, https://outlook.office365.com/.default, smtp.office365.com, outlook.office365.com",
        "usgov,     https://login.microsoftonline.us/contoso/,  https://outlook.office365.us/.default,  smtp.office365.us,  outlook.office365.us",
        "USGOV-DOD, https://login.microsoftonline.us/contoso/,  https://outlook-dod.office365.us/.default, outlook-dod.office365.us, outlook-dod.office365.us",
        "china,     https://login.chinacloudapi.cn/contoso/,    https://partner.outlook.cn/.default,    smtp.partner.outlook.cn, partner.outlook.cn"})
    void load_cloudPreset_setsAuthorityScopeAndMailHosts(String cloud, String authority, String scope, String smtp,
                                                         String store) {
        Map<String, String> keys = entra();
        keys.put(P + "cloud", cloud);

        ConnectorSettings s = load(keys);

        assertThat(s.tenantAuthority()).isEqualTo(authority);
        assertThat(s.scopes()).containsExactly(scope);
        assertThat(s.smtpHost()).isEqualTo(smtp);
        assertThat(s.imapHost()).isEqualTo(store);
        assertThat(s.pop3Host()).isEqualTo(store);
        assertThat(s.smtpPort()).isEqualTo(587);
    }

    @Test
    void load_cloudPresetWithExplicitKeys_explicitKeysWin() {
        Map<String, String> keys = entra();
        keys.put(P + "cloud", "usgov");
        keys.put(P + "smtp.host", "smtp.hve.mx.microsoft");
        keys.put(P + "scope", "https://example.test/.default");
        keys.put(P + "authority", "https://login.example.test/");

        ConnectorSettings s = load(keys);

        assertThat(s.smtpHost()).isEqualTo("smtp.hve.mx.microsoft");
        assertThat(s.scopes()).containsExactly("https://example.test/.default");
        assertThat(s.tenantAuthority()).isEqualTo("https://login.example.test/contoso/");
        assertThat(s.imapHost()).isEqualTo("outlook.office365.us");
        assertThat(s.cloud()).isEqualTo(Cloud.USGOV);
    }

    @Test
    void load_cloudWithGraphMode_graphEndpointAndItsScopeFromThePreset() {
        Map<String, String> keys = entra();
        keys.put(P + "cloud", "usgov");
        keys.put(P + "send-via", "graph");

        ConnectorSettings s = load(keys);

        assertThat(s.graphEndpoint()).hasToString("https://graph.microsoft.us");
        assertThat(s.scopes()).containsExactly("https://graph.microsoft.us/.default");
        keys.put(P + "cloud", "global");
        assertThat(load(keys).scopes()).containsExactly("https://graph.microsoft.com/.default");
        keys.put(P + "graph-endpoint", "https://graph.example.test/");
        ConnectorSettings explicit = load(keys);
        assertThat(explicit.graphEndpoint()).as("an explicit endpoint wins").hasToString("https://graph.example.test");
        assertThat(explicit.scopes()).as("the token is still for the cloud's Graph resource")
                .containsExactly("https://graph.microsoft.com/.default");
    }

    @Test
    void load_cloudAsPoolProperty_presetApplies() {
        ConnectorSettings s = ConnectorSettings.load("gov", SettingsSource.of(entra()), Map.of(Setting.CLOUD, "china"));

        assertThat(s.smtpHost()).isEqualTo("smtp.partner.outlook.cn");
    }

    @Test
    void load_unknownCloud_configErrorNamingKeyAndAllowedValues() {
        Map<String, String> keys = entra();
        keys.put(P + "cloud", "germany");

        assertThatThrownBy(() -> load(keys)).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.getMessage()).startsWith("OAM001 ");
            assertThat(e.problems()).containsExactly(
                    P + "cloud: 'germany' is not one of [china, global, usgov, usgov-dod]");
        });
    }

    /** README "High Volume Email": the settings given there validate as written. */
    @Test
    void load_highVolumeEmailSettingsFromReadme_validate() {
        Map<String, String> keys = entra();
        keys.put(P + "smtp.host", "smtp.hve.mx.microsoft");
        keys.put(P + "smtp.port", "587");
        keys.put(P + "smtp.tls", "starttls");
        keys.put(P + "mailbox", "hve-alerts@contoso.com");

        ConnectorSettings s = load(keys);

        assertThat(List.of(s.smtpHost(), s.smtpPort(), s.smtpTls(), s.scopes()))
                .containsExactly("smtp.hve.mx.microsoft", 587, ConnectorSettings.Tls.STARTTLS,
                        List.of("https://outlook.office365.com/.default"));
    }
}
