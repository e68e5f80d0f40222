package io.github.oauth2mail.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation of the token keys: every problem is reported at once, each with its full key, never with a secret. */
class ConnectorSettingsTest {

    private static final String N = "mail1";
    private static final String P = "oauth2mail." + N + ".";
    private static final String SECRET = "Very-Secret-Value-42";

    @TempDir
    static Path dir;
    static Path p12;
    static Path garbage;

    @BeforeAll
    static void files() throws Exception {
        p12 = TestCertificates.in(dir.resolve("certs")).serverKeyStore(); // password TestCertificates.PASSWORD
        garbage = dir.resolve("garbage.bin");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
    }

    private static Map<String, String> entraSecret() {
        Map<String, String> m = new HashMap<>();
        m.put(P + "tenant-id", "contoso");
        m.put(P + "client-id", "app-1");
        m.put(P + "client-secret", SECRET);
        m.put(P + "mailbox", "sender@example.com");
        return m;
    }

    private static Map<String, String> oauth2(String grant) {
        Map<String, String> m = new HashMap<>();
        m.put(P + "provider", "oauth2");
        m.put(P + "token-endpoint", "https://idp.example.com/token");
        m.put(P + "grant-type", grant);
        m.put(P + "client-id", "app-1");
        m.put(P + "client-secret", SECRET);
        m.put(P + "scope", "mail");
        m.put(P + "mailbox", "sender@example.com");
        return m;
    }

    private static Arguments row(String name, Map<String, String> base, Consumer<Map<String, String>> change,
                                 String... expected) {
        Map<String, String> m = new HashMap<>(base);
        change.accept(m);
        return Arguments.of(name, m, List.of(expected));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                row("missing credential", entraSecret(), m -> m.remove(P + "client-secret"),
                        P + "{client-secret|certificate-path|managed-identity|federated-token-file}: no credential"),
                row("two credentials", entraSecret(), m -> m.put(P + "certificate-path", p12.toString()),
                        P + "{client-secret|certificate-path}: 2 credentials are set"),
                row("http authority", entraSecret(), m -> m.put(P + "authority", "http://login.example.com/"),
                        P + "authority: 'http://login.example.com/' must use https"),
                row("malformed authority", entraSecret(), m -> m.put(P + "authority", "https://exa mple.com/"),
                        P + "authority: 'https://exa mple.com/' is not a valid URL"),
                row("authority without scheme", entraSecret(), m -> m.put(P + "authority", "login.microsoftonline.com"),
                        P + "authority: 'login.microsoftonline.com' is not an absolute URL"),
                row("unreadable certificate file", entraSecret(), m -> {
                    m.remove(P + "client-secret");
                    m.put(P + "certificate-path", dir.resolve("missing.p12").toString());
                }, P + "certificate-path: file " + dir.resolve("missing.p12") + " does not exist or is not readable"),
                row("wrong certificate password", entraSecret(), m -> {
                    m.remove(P + "client-secret");
                    m.put(P + "certificate-path", p12.toString());
                    m.put(P + "certificate-password", "not-the-password");
                }, P + "certificate-password: wrong password for PKCS#12 file"),
                row("certificate file neither PEM nor PKCS#12", entraSecret(), m -> {
                    m.remove(P + "client-secret");
                    m.put(P + "certificate-path", garbage.toString());
                }, P + "certificate-path: "),
                row("certificate password without certificate", entraSecret(),
                        m -> m.put(P + "certificate-password", "x"), P + "certificate-password: is set but"),
                row("unknown provider", entraSecret(), m -> m.put(P + "provider", "google"),
                        P + "provider: 'google' is not one of [entra, oauth2]"),
                row("unknown grant", oauth2("client_credentials"), m -> m.put(P + "grant-type", "password"),
                        P + "grant-type: 'password' is not one of"),
                row("http token endpoint", oauth2("client_credentials"),
                        m -> m.put(P + "token-endpoint", "http://idp.example.com/token"), P + "token-endpoint: "),
                row("missing token endpoint", oauth2("client_credentials"), m -> m.remove(P + "token-endpoint"),
                        P + "token-endpoint: is required"),
                row("client_credentials without secret", oauth2("client_credentials"), m -> m.remove(P + "client-secret"),
                        P + "client-secret: is required (set it through MicroProfile Config, e.g. env var "
                                + "OAUTH2MAIL_MAIL1_CLIENT_SECRET)"),
                row("refresh_token without refresh token", oauth2("refresh_token"), m -> { },
                        P + "refresh-token: is required"),
                row("jwt-bearer without key", oauth2("jwt-bearer"), m -> { }, P + "signing-key-path: is required"),
                row("jwt-bearer key file not PEM", oauth2("jwt-bearer"),
                        m -> m.put(P + "signing-key-path", garbage.toString()), P + "signing-key-path: "),
                row("unknown client auth", oauth2("client_credentials"), m -> m.put(P + "client-auth", "private_key_jwt"),
                        P + "client-auth: 'private_key_jwt' is not one of"),
                row("secondary secret with refresh_token", oauth2("refresh_token"), m -> {
                    m.put(P + "refresh-token", "rt");
                    m.put(P + "secondary.client-secret", "s2");
                }, P + "secondary.client-secret: is only used with grant-type=client_credentials"),
                row("invalid file path", entraSecret(), m -> {
                    m.remove(P + "client-secret");
                    m.put(P + "federated-token-file", "bad\u0000path");
                }, P + "federated-token-file: "),
                row("secondary with managed identity", entraSecret(), m -> {
                    m.remove(P + "client-secret");
                    m.put(P + "managed-identity", "system");
                    m.put(P + "secondary.client-secret", "s2");
                }, P + "secondary.*: a secondary credential only works"),
                row("entra with token endpoint", entraSecret(), m -> m.put(P + "token-endpoint", "https://x/token"),
                        P + "token-endpoint: is not used with provider=entra"),
                row("oauth2 with certificate", oauth2("client_credentials"), m -> m.put(P + "certificate-path",
                        p12.toString()), P + "certificate-path: is not used with provider=oauth2"),
                row("token wait zero", entraSecret(), m -> m.put(P + "token-wait-ms", "0"),
                        P + "token-wait-ms: '0' is out of range"),
                row("federated token file missing", entraSecret(), m -> {
                    m.remove(P + "client-secret");
                    m.put(P + "federated-token-file", dir.resolve("nope").toString());
                }, P + "federated-token-file: file "),
                row("trust store password without path", entraSecret(), m -> m.put(P + "trust-store-password", "x"),
                        P + "trust-store-password: is set but"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void load_invalidTokenKeys_namesFullKeyAndHidesSecret(String name, Map<String, String> keys, List<String> expected) {
        assertThatThrownBy(() -> ConnectorSettings.load(N, SettingsSource.of(keys), Map.of()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.getMessage()).startsWith("OAM001 Connector resource '" + N + "'");
                    for (String s : expected) {
                        assertThat(e.getMessage()).contains(s);
                        assertThat(e.problems()).anyMatch(p -> p.contains(s));
                    }
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                });
    }

    @Test
    void load_severalProblems_allReportedAtOnce() {
        Map<String, String> keys = entraSecret();
        keys.put(P + "authority", "http://x/");
        keys.remove(P + "tenant-id");
        keys.put(P + "provider", "entra");
        keys.put(P + "token-wait-ms", "soon");

        assertThatThrownBy(() -> ConnectorSettings.load(N, SettingsSource.of(keys), Map.of()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.startsWith(P + "authority:"))
                        .anyMatch(p -> p.startsWith(P + "tenant-id:"))
                        .anyMatch(p -> p.startsWith(P + "token-wait-ms:"))
                        .hasSize(3));
    }

    @Test
    void load_secretAsPoolProperty_rejected() {
        Map<String, String> keys = entraSecret();
        keys.remove(P + "client-secret");

        assertThatThrownBy(() -> ConnectorSettings.load(N, SettingsSource.of(keys),
                Map.of(Setting.CLIENT_SECRET, SECRET)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(P + "client-secret: is a secret and may only come from MicroProfile Config")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void load_validPkcs12Certificate_loadsKeyAndChain() {
        Map<String, String> keys = entraSecret();
        keys.remove(P + "client-secret");
        keys.put(P + "certificate-path", p12.toString());
        keys.put(P + "certificate-password", TestCertificates.PASSWORD);

        ConnectorSettings s = ConnectorSettings.load(N, SettingsSource.of(keys), Map.of());

        assertThat(s.credential()).isEqualTo(ConnectorSettings.Credential.CERTIFICATE);
        assertThat(s.certificate()).hasValueSatisfying(c -> assertThat(c.privateKey()).isNotNull());
        assertThat(s.toString()).doesNotContain(TestCertificates.PASSWORD);
    }

    @Test
    void load_validEntraSecret_defaultsAndNoSecretInToString() {
        ConnectorSettings s = ConnectorSettings.load(N, SettingsSource.of(entraSecret()), Map.of());

        assertThat(s.provider()).isEqualTo(ConnectorSettings.Provider.ENTRA);
        assertThat(s.tenantAuthority()).isEqualTo("https://login.microsoftonline.com/contoso/");
        assertThat(s.scopes()).containsExactly(ConnectorSettings.DEFAULT_ENTRA_SCOPE);
        assertThat(s.clientSecret()).hasValueSatisfying(x -> assertThat(x.toString()).isEqualTo("****"));
        assertThat(s.toString()).doesNotContain(SECRET).contains("client-secret");
    }

    @Test
    void load_jwtBearerDefaults_issuerIsClientIdAudienceIsEndpoint() throws Exception {
        Path key = dir.resolve("k.pem");
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder()
                .encodeToString(g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Map<String, String> keys = oauth2("jwt-bearer");
        keys.put(P + "signing-key-path", key.toString());

        ConnectorSettings s = ConnectorSettings.load(N, SettingsSource.of(keys), Map.of());

        assertThat(s.grant()).isEqualTo(ConnectorSettings.Grant.JWT_BEARER);
        assertThat(s.jwtIssuer()).isEqualTo("app-1");
        assertThat(s.jwtAudience()).isEqualTo("https://idp.example.com/token");
    }

    @Test
    void load_choicesInAnyCase_parsedOnceToTypedValues() {
        Map<String, String> keys = oauth2("Client_Credentials");
        keys.put(P + "provider", "OAuth2");
        keys.put(P + "client-auth", "Client_Secret_Post");
        keys.put(P + "sasl-mechanism", "OAuthBearer");
        keys.put(P + "smtp.tls", "IMPLICIT");
        keys.put(P + "imap.tls", "StartTLS");
        keys.put(P + "mail-debug", "TRUE");
        keys.put(P + "pool-wait-ms", "0");
        keys.put(P + "scope", "a b,c");

        ConnectorSettings s = ConnectorSettings.load(N, SettingsSource.of(keys), Map.of());

        assertThat(s.provider()).isEqualTo(ConnectorSettings.Provider.OAUTH2);
        assertThat(s.grant()).isEqualTo(ConnectorSettings.Grant.CLIENT_CREDENTIALS);
        assertThat(s.clientAuth()).isEqualTo(ConnectorSettings.ClientAuth.CLIENT_SECRET_POST);
        assertThat(s.saslMechanism()).isEqualTo(ConnectorSettings.Sasl.OAUTHBEARER);
        assertThat(s.smtpTls()).isEqualTo(ConnectorSettings.Tls.IMPLICIT);
        assertThat(s.imapTls()).isEqualTo(ConnectorSettings.Tls.STARTTLS);
        assertThat(s.mailDebug()).isTrue();
        assertThat(s.poolWait()).isZero();
        assertThat(s.scopes()).containsExactly("a", "b", "c");
    }

    @Test
    void load_everyInvalidTypedValue_reportedAtOnceWithTheEnumsValues() {
        Map<String, String> keys = entraSecret();
        keys.put(P + "sasl-mechanism", "PLAIN");
        keys.put(P + "smtp.tls", "ssl");
        keys.put(P + "imap.port", "99999");
        keys.put(P + "pop3.port", "pop");
        keys.put(P + "mail-debug", "yes");
        keys.put(P + "allowed-mailboxes", "ok@example.com, not a mailbox");
        keys.put(P + "trust-store-path", "bad\u0000path");

        assertThatThrownBy(() -> ConnectorSettings.load(N, SettingsSource.of(keys), Map.of()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        P + "allowed-mailboxes: 'not a mailbox' is not a mail address",
                        P + "sasl-mechanism: 'PLAIN' is not one of [OAUTHBEARER, XOAUTH2]",
                        P + "smtp.tls: 'ssl' is not one of [implicit, starttls]",
                        P + "imap.port: '99999' is out of range 1..65535",
                        P + "pop3.port: 'pop' is not a whole number",
                        P + "mail-debug: 'yes' is not one of [false, true]",
                        P + "trust-store-path: 'bad\u0000path' is not a valid file path").hasSize(7));
    }

    @Test
    void load_invalidPathOfAFileReadOnlyLater_reportedAtLoadNotAtFirstUse() {
        Map<String, String> keys = oauth2("client_credentials");
        keys.put(P + "signing-key-path", "bad\u0000key.pem");

        assertThatThrownBy(() -> ConnectorSettings.load(N, SettingsSource.of(keys), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(P + "signing-key-path: 'bad\u0000key.pem' is not a valid file path");
    }
}
