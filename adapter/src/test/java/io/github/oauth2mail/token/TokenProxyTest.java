package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.config.ConfigurationException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.testing.ConnectProxy;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token requests through an explicit HTTPS proxy ({@code proxy-host}/{@code -port}/{@code -user}/{@code -password})
 * to the local HTTPS issuer, with a real CONNECT proxy in between that counts its tunnels. The test JVM runs with
 * {@code -Djdk.http.auth.tunneling.disabledSchemes=} (adapter/pom.xml), as README "Proxies" tells admins.
 */
class TokenProxyTest {

    private static final String PROXY_USER = "svc-mail";
    private static final String PROXY_PASSWORD = "Pr0xy-Pw~unique-7781";

    @TempDir
    static Path dir;
    static TestTokenIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start(dir);
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @BeforeEach
    void reset() {
        issuer.resetRequests();
        issuer.stubToken(3600);
    }

    private static Map<String, String> viaProxy(Map<String, String> keys, ConnectProxy proxy) {
        keys.put(key("proxy-host"), "127.0.0.1");
        keys.put(key("proxy-port"), String.valueOf(proxy.port()));
        return keys;
    }

    @Test
    void fetch_entraWithProxyHost_msalRequestTunnelledThroughProxy() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start()) {
            TokenSource s = TokenSources.create(TokenFixtures.settings(viaProxy(TokenFixtures.entraSecret(issuer), proxy)))
                    .get(0);

            AccessToken t = s.fetch(null, false);

            assertThat(issuer.issuedTokens()).contains(t.value());
            assertThat(proxy.tunnels()).isPositive();
            assertThat(proxy.targets()).contains("127.0.0.1:" + issuer.port());
        }
    }

    @Test
    void fetch_oauth2WithProxyCredentials_tunnelledAndCredentialsStayWithTheProxy() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start(PROXY_USER, PROXY_PASSWORD)) {
            Map<String, String> keys = viaProxy(TokenFixtures.clientCredentials(issuer), proxy);
            keys.put(key("proxy-user"), PROXY_USER);
            keys.put(key("proxy-password"), PROXY_PASSWORD);
            TokenSource s = TokenSources.create(TokenFixtures.settings(keys)).get(0);

            AccessToken t = s.fetch(null, false);

            assertThat(issuer.issuedTokens()).contains(t.value());
            assertThat(proxy.tunnels()).isEqualTo(1);
            assertThat(proxy.refusals()).isZero();
            assertThat(issuer.requests()).hasSize(1).allSatisfy(r ->
                    assertThat(r.containsHeader("Proxy-Authorization")).as("proxy credentials sent to the issuer").isFalse());
        }
    }

    @Test
    void fetch_wrongProxyPassword_typedErrorNamingProxyKeysWithoutSecret() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start(PROXY_USER, PROXY_PASSWORD)) {
            Map<String, String> keys = viaProxy(TokenFixtures.entraSecret(issuer), proxy);
            keys.put(key("proxy-user"), PROXY_USER);
            keys.put(key("proxy-password"), "not-the-" + PROXY_PASSWORD);
            TokenSource s = TokenSources.create(TokenFixtures.settings(keys)).get(0);

            assertThatThrownBy(() -> s.fetch(null, false)).isInstanceOfSatisfying(TokenException.class, e -> {
                assertThat(e.messageId()).isEqualTo(MessageId.TOKEN_PROXY_REJECTED);
                assertThat(e.isPermanent()).isTrue();
                assertThat(e.getMessage()).startsWith("OAM160 ").contains("407", "127.0.0.1:" + proxy.port(),
                        key("proxy-user"), key("proxy-password")).doesNotContain(PROXY_PASSWORD);
            });
            assertThat(proxy.refusals()).isPositive();
            assertThat(proxy.tunnels()).isZero();
            assertThat(issuer.tokenRequests()).isZero();
        }
    }

    @Test
    void fetch_proxyAsksForCredentialsNoneConfigured_typedErrorNamingProxyUserKey() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start(PROXY_USER, PROXY_PASSWORD)) {
            TokenSource s = TokenSources.create(TokenFixtures.settings(viaProxy(TokenFixtures.clientCredentials(issuer),
                    proxy))).get(0);

            assertThatThrownBy(() -> s.fetch(null, false)).isInstanceOfSatisfying(TokenException.class, e -> {
                assertThat(e.messageId()).isEqualTo(MessageId.TOKEN_PROXY_REJECTED);
                assertThat(e.getMessage()).contains("asks for credentials", key("proxy-user"));
            });
        }
    }

    @Test
    void load_proxyKeysIncomplete_everyProblemNamesItsKey() {
        Map<String, String> noHost = TokenFixtures.entraSecret(issuer);
        noHost.put(key("proxy-port"), "3128");
        noHost.put(key("proxy-user"), PROXY_USER);
        Map<String, String> noPassword = TokenFixtures.entraSecret(issuer);
        noPassword.put(key("proxy-host"), "proxy.example.com");
        noPassword.put(key("proxy-user"), PROXY_USER);

        assertThatThrownBy(() -> TokenFixtures.settings(noHost)).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(key("proxy-port")))
                        .anySatisfy(p -> assertThat(p).startsWith(key("proxy-user"))));
        assertThatThrownBy(() -> TokenFixtures.settings(noPassword)).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(key("proxy-port")))
                        .anySatisfy(p -> assertThat(p).startsWith(key("proxy-password"))
                                .contains("OAUTH2MAIL_OFFICE365_PROXY_PASSWORD")));
    }

    @Test
    void settings_proxyPassword_neverInToStringOrDescription() {
        Map<String, String> keys = TokenFixtures.entraSecret(issuer);
        keys.put(key("proxy-host"), "proxy.example.com");
        keys.put(key("proxy-port"), "3128");
        keys.put(key("proxy-user"), PROXY_USER);
        keys.put(key("proxy-password"), PROXY_PASSWORD);
        io.github.oauth2mail.config.ConnectorSettings s = TokenFixtures.settings(keys);

        assertThat(s.toString() + s.tokenProxy().orElseThrow() + TokenProxies.describe(s)
                + TokenSources.create(s).get(0)).doesNotContain(PROXY_PASSWORD).contains("proxy.example.com:3128");
    }

    @Test
    void listsBasic_jdkDefaultAndEmptyValue() {
        assertThat(TokenProxies.listsBasic("Basic")).isTrue();
        assertThat(TokenProxies.listsBasic("NTLM, basic")).isTrue();
        assertThat(TokenProxies.listsBasic("")).isFalse();
        assertThat(TokenProxies.listsBasic(null)).isFalse();
    }
}
