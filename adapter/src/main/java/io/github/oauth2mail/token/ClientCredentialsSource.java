package io.github.oauth2mail.token;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Secret;
import javax.net.ssl.SSLContext;

/** Generic OAuth2 {@code client_credentials} grant (client_secret_basic or client_secret_post). */
final class ClientCredentialsSource implements TokenSource {

    private final OAuth2Endpoint endpoint;
    private final ClientAuthentication auth;
    private final Scope scope;

    ClientCredentialsSource(ConnectorSettings settings, SSLContext tls, Secret secret, String credentialName) {
        this.endpoint = new OAuth2Endpoint(settings, tls, credentialName);
        this.auth = OAuth2Endpoint.clientAuth(settings, secret);
        this.scope = settings.scopes().isEmpty() ? null : new Scope(settings.scopes().toArray(String[]::new));
    }

    @Override
    public AccessToken fetch(String mailbox, boolean skipCache) throws TokenException {
        TokenRequest request = new TokenRequest(endpoint.uri(), auth, new ClientCredentialsGrant(), scope);
        return endpoint.token(endpoint.send(request));
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
        return "ClientCredentialsSource[" + endpoint.context().describe() + "]";
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
