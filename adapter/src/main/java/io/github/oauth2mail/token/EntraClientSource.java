package io.github.oauth2mail.token;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Microsoft Entra ID client credentials flow through one MSAL4J {@link ConfidentialClientApplication}, built once, for
 * one credential (client secret, certificate or federated assertion: see {@link TokenSources}).
 */
final class EntraClientSource implements TokenSource {

    private final ConfidentialClientApplication app;
    /** The HTTP client MSAL4J uses when a proxy is configured; null: MSAL4J's own (HttpsURLConnection). */
    private final JdkHttpSender proxied;
    private final Set<String> scopes;
    private final SourceContext ctx;
    private final Duration timeout;

    EntraClientSource(ConnectorSettings settings, SSLContext tls, IClientCredential credential,
                      String credentialName) {
        String authority = settings.tenantAuthority();
        this.ctx = new SourceContext(settings, authority, credentialName);
        this.scopes = new LinkedHashSet<>(settings.scopes());
        this.timeout = MsalCalls.callTimeout(settings);
        try {
            ConfidentialClientApplication.Builder b = ConfidentialClientApplication.builder(settings.clientId(), credential)
                    .authority(authority)
                    .logPii(false)
                    .connectTimeoutForDefaultHttpClient(MsalCalls.millis(settings.connectTimeout()))
                    .readTimeoutForDefaultHttpClient(MsalCalls.millis(settings.readTimeout()))
                    .sslSocketFactory(tls.getSocketFactory())
                    .executorService(MsalCalls.executor());
            b.disableInternalRetries(); // the refresher owns retries and back-off
            proxied = settings.tokenProxy().map(proxy -> new JdkHttpSender(tls,
                    MsalCalls.millis(settings.connectTimeout()), MsalCalls.millis(settings.readTimeout()), proxy))
                    .orElse(null);
            if (proxied != null) {
                b.httpClient(new MsalHttpClient(proxied));
            }
            if (!MsalCalls.isMicrosoftAuthority(authority)) {
                // a non-Microsoft host (local test issuer, proxy): no instance discovery against login.microsoftonline.com
                b.instanceDiscovery(false).validateAuthority(false);
            }
            this.app = b.build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new io.github.oauth2mail.config.ConfigurationException(settings.name(), java.util.List.of(
                    settings.key(Setting.AUTHORITY) + ": MSAL4J does not accept authority " + authority + " ("
                            + e.getClass().getSimpleName() + ")"));
        }
    }

    @Override
    public AccessToken fetch(String mailbox, boolean skipCache) throws TokenException {
        ClientCredentialParameters p = ClientCredentialParameters.builder(scopes).skipCache(skipCache).build();
        try {
            return MsalCalls.await(ctx, app.acquireToken(p), timeout);
        } catch (RuntimeException e) {
            throw MsalCalls.map(ctx, e);
        }
    }

    @Override
    public boolean perMailbox() {
        return false;
    }

    @Override
    public String credential() {
        return ctx.credential();
    }

    @Override
    public String toString() {
        return "EntraClientSource[" + ctx.describe() + "]";
    }

    @Override
    public void close() {
        if (proxied != null) {
            proxied.close();
        }
    }
}
