package io.github.oauth2mail.token;

import com.microsoft.aad.msal4j.ManagedIdentityApplication;
import com.microsoft.aad.msal4j.ManagedIdentityId;
import com.microsoft.aad.msal4j.ManagedIdentityParameters;
import io.github.oauth2mail.config.ConnectorSettings;
import java.net.Proxy;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * An Azure managed identity (system-assigned, or user-assigned by client id) through MSAL4J's
 * {@link ManagedIdentityApplication}; MSAL4J finds the platform's endpoint (IMDS, App Service, ...) itself. Its
 * requests never go through a proxy.
 */
final class ManagedIdentitySource implements TokenSource {

    private final ManagedIdentityApplication app;
    private final String resource;
    private final SourceContext ctx;
    private final Duration timeout;

    ManagedIdentitySource(ConnectorSettings settings, SSLContext tls) {
        String id = settings.managedIdentity().orElse("system");
        ManagedIdentityId miId = "system".equalsIgnoreCase(id) ? ManagedIdentityId.systemAssigned()
                : ManagedIdentityId.userAssignedClientId(id);
        this.ctx = new SourceContext(settings, "managed identity endpoint", "managed-identity "
                + ("system".equalsIgnoreCase(id) ? "system-assigned" : "user-assigned " + id));
        this.resource = resource(settings.scopes().get(0));
        this.timeout = MsalCalls.callTimeout(settings);
        ManagedIdentityApplication.Builder b = ManagedIdentityApplication.builder(miId)
                .logPii(false)
                .connectTimeoutForDefaultHttpClient(MsalCalls.millis(settings.connectTimeout()))
                .readTimeoutForDefaultHttpClient(MsalCalls.millis(settings.readTimeout()))
                .sslSocketFactory(tls.getSocketFactory())
                .executorService(MsalCalls.executor())
                // never through a proxy: neither proxy-host nor the JVM's ProxySelector; the endpoint is local
                // (169.254.169.254, the Azure Arc agent, App Service's local endpoint)
                .proxy(Proxy.NO_PROXY);
        b.disableInternalRetries();
        this.app = b.build();
    }

    /** Managed identity endpoints take a resource, not a scope: {@code https://x/.default} becomes {@code https://x}. */
    static String resource(String scope) {
        return scope.endsWith("/.default") ? scope.substring(0, scope.length() - "/.default".length()) : scope;
    }

    @Override
    public AccessToken fetch(String mailbox, boolean skipCache) throws TokenException {
        try {
            return MsalCalls.await(ctx, app.acquireTokenForManagedIdentity(
                    ManagedIdentityParameters.builder(resource).forceRefresh(skipCache).build()), timeout);
        } catch (TokenException e) {
            throw e;
        } catch (Exception e) {
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
        return "ManagedIdentitySource[" + ctx.describe() + ", resource " + resource + "]";
    }
}
