package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.microsoft.aad.msal4j.ManagedIdentityApplication;
import io.github.oauth2mail.testing.ConnectProxy;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed identity through MSAL4J's App Service source, pointed at the local issuer. MSAL4J reads
 * {@code IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER} from the process environment, which a JVM cannot set; the test
 * replaces MSAL4J's package-private environment hook ({@code ManagedIdentityApplication.setEnvironmentVariables})
 * by reflection and restores it afterwards. IMDS, Azure Arc, Service Fabric and Cloud Shell are not tested.
 */
class ManagedIdentitySourceTest {

    private static final String IDENTITY_HEADER = "identity-header-value-123";

    @TempDir
    static Path dir;
    static TestTokenIssuer issuer;
    static Object originalEnvironment;

    @BeforeAll
    static void start() throws Exception {
        issuer = TestTokenIssuer.start(dir);
        Map<String, String> env = Map.of("IDENTITY_ENDPOINT", issuer.managedIdentityEndpoint(),
                "IDENTITY_HEADER", IDENTITY_HEADER);
        Class<?> hook = Class.forName("com.microsoft.aad.msal4j.IEnvironmentVariables");
        Method get = ManagedIdentityApplication.class.getDeclaredMethod("getEnvironmentVariables");
        get.setAccessible(true);
        originalEnvironment = get.invoke(null);
        setEnvironment(Proxy.newProxyInstance(hook.getClassLoader(), new Class<?>[] {hook},
                (proxy, method, args) -> method.getName().equals("getEnvironmentVariable") ? env.get((String) args[0])
                        : method.getName().equals("toString") ? "test environment" : null));
    }

    @AfterAll
    static void stop() throws Exception {
        setEnvironment(originalEnvironment);
        issuer.close();
    }

    private static void setEnvironment(Object env) throws Exception {
        Class<?> hook = Class.forName("com.microsoft.aad.msal4j.IEnvironmentVariables");
        Method set = ManagedIdentityApplication.class.getDeclaredMethod("setEnvironmentVariables", hook);
        set.setAccessible(true);
        set.invoke(null, env);
    }

    private static Map<String, String> managed(String identity) {
        Map<String, String> keys = TokenFixtures.base(issuer);
        keys.put(key("managed-identity"), identity);
        return keys;
    }

    @Test
    void fetch_systemAssigned_asksEndpointForOutlookResourceWithIdentityHeader() throws Exception {
        issuer.resetRequests();
        issuer.stubManagedIdentityToken(3600);
        TokenSource s = TokenSources.create(TokenFixtures.settings(managed("system"))).get(0);

        AccessToken t = s.fetch(null, false);

        assertThat(issuer.managedIdentityRequests()).hasSize(1);
        LoggedRequest r = issuer.managedIdentityRequests().get(0);
        assertThat(r.getHeader("X-IDENTITY-HEADER")).isEqualTo(IDENTITY_HEADER);
        assertThat(r.queryParameter("resource").firstValue()).isEqualTo("https://outlook.office365.com");
        assertThat(r.queryParameter("api-version").firstValue()).isEqualTo("2019-08-01");
        assertThat(t.value()).startsWith("mi-");
        assertThat(t.expiresAt()).isAfter(Instant.now().plusSeconds(3500));
        assertThat(s.credential()).isEqualTo("managed-identity system-assigned");
    }

    @Test
    void fetch_userAssignedSkipCache_sendsClientIdAndFetchesAgain() throws Exception {
        issuer.resetRequests();
        issuer.stubManagedIdentityToken(3600);
        TokenSource s = TokenSources.create(TokenFixtures.settings(managed("0000-user-assigned"))).get(0);

        AccessToken a = s.fetch(null, false);
        AccessToken b = s.fetch(null, true);

        assertThat(issuer.managedIdentityRequests()).hasSize(2)
                .allSatisfy(r -> assertThat(r.queryParameter("client_id").firstValue()).isEqualTo("0000-user-assigned"));
        assertThat(a.sameValueAs(b)).isFalse();
    }

    @Test
    void fetch_jvmProxyAndProxyHostSet_managedIdentityEndpointReachedDirectly() throws Exception {
        issuer.resetRequests();
        issuer.stubManagedIdentityToken(3600);
        ProxySelector previous = ProxySelector.getDefault();
        try (ConnectProxy proxy = ConnectProxy.start()) {
            ProxySelector.setDefault(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())));
            // its own identity: MSAL4J caches managed identity tokens across applications, keyed by identity
            Map<String, String> keys = managed("0000-proxy-bypass");
            keys.put(key("proxy-host"), "127.0.0.1");
            keys.put(key("proxy-port"), String.valueOf(proxy.port()));
            TokenSource s = TokenSources.create(TokenFixtures.settings(keys)).get(0);

            AccessToken t = s.fetch(null, false);

            assertThat(t.value()).startsWith("mi-");
            assertThat(issuer.managedIdentityRequests()).hasSize(1);
            assertThat(proxy.tunnels()).as("managed identity requests through a proxy").isZero();
        } finally {
            ProxySelector.setDefault(previous);
        }
    }
}
