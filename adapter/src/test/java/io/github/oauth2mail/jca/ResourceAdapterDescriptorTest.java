package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.config.ConfigurationException;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.testing.TestCertificates;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ra.xml, the factory's setters and the settings list agree, and no secret can be set as a pool property. */
class ResourceAdapterDescriptorTest {

    private static List<String> raXmlProperties() throws IOException {
        String xml = Files.readString(Path.of("src/main/rar/META-INF/ra.xml"));
        Matcher m = Pattern.compile("<config-property-name>([^<]+)</config-property-name>").matcher(xml);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void raXml_everyConfigProperty_hasStringSetterOnFactory() throws Exception {
        for (String name : raXmlProperties()) {
            Method setter = OAuth2MailManagedConnectionFactory.class.getMethod("set" + name, String.class);
            assertThat(setter).as("setter for " + name).isNotNull();
            Method getter = OAuth2MailManagedConnectionFactory.class.getMethod("get" + name);
            assertThat(getter.getReturnType()).isEqualTo(String.class);
        }
    }

    @Test
    void raXml_configProperties_areConfigNameAndNonSecretSettingsOnly() throws IOException {
        TreeSet<String> secretProps = new TreeSet<>();
        TreeSet<String> settingProps = new TreeSet<>();
        for (Setting s : Setting.values()) {
            (s.isSecret() ? secretProps : settingProps).add(s.poolProperty());
        }
        List<String> names = raXmlProperties();
        assertThat(names).contains("ConfigName");
        assertThat(names).doesNotContainAnyElementsOf(secretProps);
        for (String n : names) {
            if (!n.equals("ConfigName")) {
                assertThat(settingProps).as("ra.xml property " + n + " is a setting").contains(n);
            }
        }
    }

    @Test
    void raXml_everyNonSecretSetting_isAConfigPropertyOfBothConnectionDefinitions() throws IOException {
        List<String> names = raXmlProperties();
        for (Setting s : Setting.values()) {
            if (!s.isSecret()) {
                assertThat(names.stream().filter(s.poolProperty()::equals).count())
                        .as("ra.xml config-property " + s.poolProperty() + " (README: every non-secret key is a pool property)")
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void factory_setProperty_changesEqualityLikeArtemis() {
        OAuth2MailManagedConnectionFactory a = new OAuth2MailManagedConnectionFactory();
        OAuth2MailManagedConnectionFactory b = new OAuth2MailManagedConnectionFactory();
        a.setConfigName("x");
        b.setConfigName("x");
        a.setSmtpHost("h");
        assertThat(a).isNotEqualTo(b);
        b.setSmtpHost("h");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    // ---- every config-property reaches the settings ----

    @TempDir
    static Path dir;
    static Path p12;
    static Path file;
    static Path pemKey;

    @BeforeAll
    static void files() throws Exception {
        p12 = TestCertificates.in(dir.resolve("certs")).serverKeyStore();
        file = Files.writeString(dir.resolve("federated.jwt"), "assertion");
        pemKey = dir.resolve("signing.pem");
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        Files.writeString(pemKey, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder()
                .encodeToString(g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    /** A valid resource apart from the property under test, as MicroProfile Config keys after the prefix. */
    private static Map<String, String> entra() {
        return new HashMap<>(Map.of("tenant-id", "contoso", "client-id", "app-1", "client-secret", "s",
                "mailbox", "sender@example.com"));
    }

    private static Map<String, String> with(Map<String, String> m, String key, String value) {
        m.put(key, value);
        return m;
    }

    private static Map<String, String> entraWithoutCredential() {
        Map<String, String> m = entra();
        m.remove("client-secret");
        return m;
    }

    private static Map<String, String> oauth2() {
        return new HashMap<>(Map.of("provider", "oauth2", "token-endpoint", "https://idp.example.com/token",
                "client-id", "app-1", "client-secret", "s", "scope", "mail", "refresh-token", "rt",
                "mailbox", "sender@example.com"));
    }

    private static Map<String, String> jwtBearer() {
        return with(oauth2(), "grant-type", "jwt-bearer");
    }

    /** How a property is checked: the resource it is set on, the value, and where the settings show it. */
    private record Case(Map<String, String> base, String value, Function<ConnectorSettings, Object> read,
                        Object expected) {
    }

    private static Map<Setting, Case> cases() {
        Map<Setting, Case> c = new EnumMap<>(Setting.class);
        c.put(Setting.PROVIDER, new Case(oauth2(), "oauth2", ConnectorSettings::provider, ConnectorSettings.Provider.OAUTH2));
        c.put(Setting.TENANT_ID, new Case(entra(), "tenant-from-pool", ConnectorSettings::tenantId, "tenant-from-pool"));
        c.put(Setting.CLIENT_ID, new Case(entra(), "client-from-pool", ConnectorSettings::clientId, "client-from-pool"));
        c.put(Setting.CERTIFICATE_PATH, new Case(
                with(entraWithoutCredential(), "certificate-password", TestCertificates.PASSWORD), p12.toString(),
                ConnectorSettings::credential,
                ConnectorSettings.Credential.CERTIFICATE));
        c.put(Setting.MANAGED_IDENTITY, new Case(entraWithoutCredential(), "1b2c3d4e-0000-4000-8000-123456789abc",
                ConnectorSettings::managedIdentity, Optional.of("1b2c3d4e-0000-4000-8000-123456789abc")));
        c.put(Setting.FEDERATED_TOKEN_FILE, new Case(entraWithoutCredential(), file.toString(),
                ConnectorSettings::federatedTokenFile, Optional.of(file)));
        c.put(Setting.SECONDARY_CERTIFICATE_PATH, new Case(
                with(entra(), "secondary.certificate-password", TestCertificates.PASSWORD), p12.toString(),
                s -> s.secondaryCertificate().isPresent(), true));
        c.put(Setting.AUTHORITY, new Case(entra(), "https://login.pool.example/", ConnectorSettings::authorityBase,
                "https://login.pool.example/"));
        c.put(Setting.TOKEN_ENDPOINT, new Case(oauth2(), "https://pool.example/token", ConnectorSettings::tokenEndpoint,
                Optional.of(URI.create("https://pool.example/token"))));
        c.put(Setting.GRANT_TYPE, new Case(oauth2(), "refresh_token", ConnectorSettings::grant,
                ConnectorSettings.Grant.REFRESH_TOKEN));
        c.put(Setting.CLIENT_AUTH, new Case(oauth2(), "client_secret_post", ConnectorSettings::clientAuth,
                ConnectorSettings.ClientAuth.CLIENT_SECRET_POST));
        c.put(Setting.SCOPE, new Case(entra(), "https://pool.example/.default", ConnectorSettings::scopes,
                List.of("https://pool.example/.default")));
        c.put(Setting.SIGNING_KEY_PATH, new Case(jwtBearer(), pemKey.toString(), ConnectorSettings::signingKeyPath,
                Optional.of(pemKey)));
        c.put(Setting.JWT_ISSUER, new Case(oauth2(), "issuer-from-pool", ConnectorSettings::jwtIssuer, "issuer-from-pool"));
        c.put(Setting.JWT_AUDIENCE, new Case(oauth2(), "audience-from-pool", ConnectorSettings::jwtAudience,
                "audience-from-pool"));
        c.put(Setting.MAILBOX, new Case(entra(), "pool@example.com", ConnectorSettings::mailbox, "pool@example.com"));
        c.put(Setting.ALLOWED_MAILBOXES, new Case(entra(), "pool-other@example.com", ConnectorSettings::allowedMailboxes,
                Set.of("pool-other@example.com")));
        c.put(Setting.SASL_MECHANISM, new Case(entra(), "OAUTHBEARER", ConnectorSettings::saslMechanism,
                ConnectorSettings.Sasl.OAUTHBEARER));
        c.put(Setting.SMTP_HOST, new Case(entra(), "smtp.pool.example", ConnectorSettings::smtpHost, "smtp.pool.example"));
        c.put(Setting.SMTP_PORT, new Case(entra(), "2525", ConnectorSettings::smtpPort, 2525));
        c.put(Setting.SMTP_TLS, new Case(entra(), "implicit", ConnectorSettings::smtpTls, ConnectorSettings.Tls.IMPLICIT));
        c.put(Setting.IMAP_HOST, new Case(entra(), "imap.pool.example", ConnectorSettings::imapHost, "imap.pool.example"));
        c.put(Setting.IMAP_PORT, new Case(entra(), "1143", ConnectorSettings::imapPort, 1143));
        c.put(Setting.IMAP_TLS, new Case(entra(), "starttls", ConnectorSettings::imapTls, ConnectorSettings.Tls.STARTTLS));
        c.put(Setting.POP3_HOST, new Case(entra(), "pop3.pool.example", ConnectorSettings::pop3Host, "pop3.pool.example"));
        c.put(Setting.POP3_PORT, new Case(entra(), "1110", ConnectorSettings::pop3Port, 1110));
        c.put(Setting.POP3_TLS, new Case(entra(), "starttls", ConnectorSettings::pop3Tls, ConnectorSettings.Tls.STARTTLS));
        c.put(Setting.MAX_CONNECTIONS_PER_MAILBOX, new Case(entra(), "7", ConnectorSettings::maxConnectionsPerMailbox, 7));
        c.put(Setting.CONNECT_TIMEOUT_MS, new Case(entra(), "1234", ConnectorSettings::connectTimeout,
                Duration.ofMillis(1234)));
        c.put(Setting.READ_TIMEOUT_MS, new Case(entra(), "2345", ConnectorSettings::readTimeout, Duration.ofMillis(2345)));
        c.put(Setting.TOKEN_WAIT_MS, new Case(entra(), "3456", ConnectorSettings::tokenWait, Duration.ofMillis(3456)));
        c.put(Setting.POOL_WAIT_MS, new Case(entra(), "4567", ConnectorSettings::poolWait, Duration.ofMillis(4567)));
        c.put(Setting.SEND_DEADLINE_MS, new Case(entra(), "4321", ConnectorSettings::sendDeadline, Duration.ofMillis(4321)));
        c.put(Setting.TRUST_STORE_PATH, new Case(entra(), file.toString(), ConnectorSettings::trustStorePath,
                Optional.of(file)));
        c.put(Setting.TRUST_STORE_TYPE, new Case(entra(), "JKS", ConnectorSettings::trustStoreType, "JKS"));
        c.put(Setting.MAIL_DEBUG, new Case(entra(), "true", ConnectorSettings::mailDebug, true));
        c.put(Setting.CLOUD, new Case(entra(), "usgov", ConnectorSettings::smtpHost, "smtp.office365.us"));
        c.put(Setting.PROXY_HOST, new Case(with(entra(), "proxy-port", "3128"), "proxy.pool.example",
                s -> s.tokenProxy().orElseThrow().address(), "proxy.pool.example:3128"));
        c.put(Setting.PROXY_PORT, new Case(with(entra(), "proxy-host", "proxy.pool.example"), "8080",
                s -> s.tokenProxy().orElseThrow().port(), 8080));
        c.put(Setting.PROXY_USER, new Case(with(with(with(entra(), "proxy-host", "proxy.pool.example"), "proxy-port",
                "3128"), "proxy-password", "pw"), "svc-pool", s -> s.tokenProxy().orElseThrow().user(), "svc-pool"));
        Path rtFile = file.resolveSibling("pool.refresh-token");
        c.put(Setting.REFRESH_TOKEN_FILE, new Case(with(oauth2(), "grant-type", "refresh_token"), rtFile.toString(),
                ConnectorSettings::refreshTokenFile, Optional.of(rtFile)));
        c.put(Setting.CREDENTIAL_EXPIRES, new Case(entra(), "2027-06-30", ConnectorSettings::credentialExpires,
                Optional.of(java.time.LocalDate.of(2027, 6, 30))));
        Map<String, String> withSecondary = entra();
        withSecondary.put("secondary.client-secret", "s2");
        c.put(Setting.SECONDARY_CREDENTIAL_EXPIRES, new Case(withSecondary, "2027-07-31",
                ConnectorSettings::secondaryCredentialExpires, Optional.of(java.time.LocalDate.of(2027, 7, 31))));
        c.put(Setting.SEND_VIA, new Case(entra(), "graph", ConnectorSettings::sendVia, ConnectorSettings.SendVia.GRAPH));
        c.put(Setting.GRAPH_ENDPOINT, new Case(entra(), "https://graph.pool.example/", ConnectorSettings::graphEndpoint,
                java.net.URI.create("https://graph.pool.example")));
        c.put(Setting.GRAPH_DRAFT_ROUTE, new Case(entra(), "true", ConnectorSettings::graphDraftRoute, true));
        c.put(Setting.GRAPH_SAVE_TO_SENT_ITEMS, new Case(entra(), "false", ConnectorSettings::graphSaveToSentItems,
                false));
        return c;
    }

    /** Each connection definition's factory class and its config-property names, from ra.xml. */
    private static Map<String, List<String>> connectionDefinitions() throws IOException {
        String xml = Files.readString(Path.of("src/main/rar/META-INF/ra.xml"));
        Matcher d = Pattern.compile("(?s)<connection-definition>(.*?)</connection-definition>").matcher(xml);
        Map<String, List<String>> defs = new LinkedHashMap<>();
        while (d.find()) {
            String body = d.group(1);
            Matcher cls = Pattern.compile("<managedconnectionfactory-class>([^<]+)<").matcher(body);
            assertThat(cls.find()).as("connection definition names its factory class").isTrue();
            Matcher m = Pattern.compile("<config-property-name>([^<]+)</config-property-name>").matcher(body);
            List<String> names = new ArrayList<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            defs.put(cls.group(1).trim(), names);
        }
        return defs;
    }

    private static ConnectorSettings load(String configName, Map<String, String> shortKeys, Map<Setting, String> pool) {
        Map<String, String> keys = new HashMap<>();
        shortKeys.forEach((k, v) -> keys.put(Setting.PREFIX + configName + "." + k, v));
        return ConnectorSettings.load(configName, SettingsSource.of(keys), pool);
    }

    @Test
    void raXml_everyConfigPropertyOfBothConnectionDefinitions_reachesTheSettings() throws Exception {
        Map<String, List<String>> defs = connectionDefinitions();
        assertThat(defs).hasSize(2);
        Map<Setting, Case> cases = cases();
        for (Map.Entry<String, List<String>> def : defs.entrySet()) {
            Class<?> type = Class.forName(def.getKey());
            for (String property : def.getValue()) {
                OAuth2MailManagedConnectionFactory mcf =
                        (OAuth2MailManagedConnectionFactory) type.getDeclaredConstructor().newInstance();
                String where = def.getKey() + "." + property;
                if (property.equals("ConfigName")) {
                    type.getMethod("setConfigName", String.class).invoke(mcf, "pool-Name_2");
                    assertThat(load(mcf.getConfigName(), entra(), mcf.poolSettings()).name()).as(where)
                            .isEqualTo("pool-Name_2");
                    continue;
                }
                mcf.setConfigName("ra");
                Setting setting = Setting.values()[0];
                for (Setting s : Setting.values()) {
                    if (s.poolProperty().equals(property)) {
                        setting = s;
                    }
                }
                Case c = cases.get(setting);
                assertThat(setting.poolProperty()).as(where + " is a setting").isEqualTo(property);
                assertThat(c).as(where + " has a case in this test").isNotNull();
                Map<String, String> base = new HashMap<>(c.base());
                base.remove(setting.key()); // MicroProfile Config would win over the pool property
                assertThat(readOrProblem(c, base, Map.of())).as(where + ": the test value differs from the base's")
                        .isNotEqualTo(c.expected());

                type.getMethod("set" + property, String.class).invoke(mcf, " " + c.value() + " ");

                assertThat(type.getMethod("get" + property).invoke(mcf)).as(where + " getter").isEqualTo(c.value());
                assertThat(c.read().apply(load("ra", base, mcf.poolSettings()))).as(where + " in the settings")
                        .isEqualTo(c.expected());
            }
        }
    }

    private static Object readOrProblem(Case c, Map<String, String> base, Map<Setting, String> pool) {
        try {
            return c.read().apply(load("ra", base, pool));
        } catch (ConfigurationException e) {
            return e.problems();
        }
    }
}
