package io.github.oauth2mail.token;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.github.oauth2mail.config.ConnectorSettings;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * Generic OAuth2 {@code refresh_token} grant. A rotated refresh token returned by the server replaces the old one in
 * its {@link RefreshTokenStore}: in memory, and in {@code refresh-token-file} when set (so it survives a restart).
 */
final class RefreshTokenSource implements TokenSource {

    private static final Logger LOG = Logger.getLogger(RefreshTokenSource.class.getName());

    private final OAuth2Endpoint endpoint;
    private final ClientAuthentication auth;
    private final ClientID clientId;
    private final Scope scope;
    private final Object lock = new Object();
    private final RefreshTokenStore store;

    RefreshTokenSource(ConnectorSettings settings, SSLContext tls) {
        this(settings, tls, RefreshTokenStore.open(settings));
    }

    /** With the resource's store (shared by the sources a credential reload builds). */
    RefreshTokenSource(ConnectorSettings settings, SSLContext tls, RefreshTokenStore store) {
        this.endpoint = new OAuth2Endpoint(settings, tls, "refresh-token");
        this.auth = OAuth2Endpoint.clientAuth(settings, settings.clientSecret().orElse(null));
        this.clientId = new ClientID(settings.clientId());
        this.scope = settings.scopes().isEmpty() ? null : new Scope(settings.scopes().toArray(String[]::new));
        this.store = store;
    }

    @Override
    public AccessToken fetch(String mailbox, boolean skipCache) throws TokenException {
        synchronized (lock) { // a rotating server accepts each refresh token once: never two requests at a time
            RefreshToken refreshToken = new RefreshToken(store.current()); // never logged (its toString is the value)
            TokenRequest request = auth != null
                    ? new TokenRequest(endpoint.uri(), auth, new RefreshTokenGrant(refreshToken), scope)
                    : new TokenRequest(endpoint.uri(), clientId, new RefreshTokenGrant(refreshToken), scope);
            AccessTokenResponse r = endpoint.send(request);
            AccessToken token = endpoint.token(r);
            RefreshToken rotated = r.getTokens().getRefreshToken();
            if (rotated != null && !rotated.getValue().equals(refreshToken.getValue())) {
                store.rotated(rotated.getValue());
                LOG.log(Level.FINE, "OAM106 Connector resource ''{0}'': the token endpoint rotated the refresh token; "
                        + "using the new one from now on", endpoint.context().resource());
            }
            return token;
        }
    }

    @Override
    public boolean perMailbox() {
        return false;
    }

    @Override
    public String credential() {
        return endpoint.context().credential();
    }

    @Override
    public String toString() {
        return "RefreshTokenSource[" + endpoint.context().describe() + "]";
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
