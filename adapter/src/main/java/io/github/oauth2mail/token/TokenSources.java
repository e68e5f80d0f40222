package io.github.oauth2mail.token;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;
import io.github.oauth2mail.config.ClientCertificate;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Builds the token sources of a connector resource from its settings: the primary source first, then the secondary
 * one (rotation contingency) when configured. Each MSAL4J application is built here once and reused.
 */
public final class TokenSources {

    private TokenSources() {
    }

    /** The primary source, then the secondary one if configured. Makes no network call; loads the trust store. */
    public static List<TokenSource> create(ConnectorSettings s) {
        return create(s, TlsSupport.sslContext(s));
    }

    /** The same with the resource's TLS context, which every source shares (the trust store is loaded once). */
    public static List<TokenSource> create(ConnectorSettings s, SSLContext tls) {
        return create(s, tls, null);
    }

    /** The same; a {@code refresh_token} source uses {@code refreshTokens} (null: its own, opened from {@code s}). */
    static List<TokenSource> create(ConnectorSettings s, SSLContext tls, RefreshTokenStore refreshTokens) {
        List<TokenSource> sources = new ArrayList<>(2);
        if (s.provider() == ConnectorSettings.Provider.ENTRA) {
            switch (s.credential()) {
                case CLIENT_SECRET:
                    sources.add(new EntraClientSource(s, tls,
                            ClientCredentialFactory.createFromSecret(s.clientSecret().orElseThrow().reveal()), "client-secret"));
                    break;
                case CERTIFICATE:
                    sources.add(new EntraClientSource(s, tls, certificate(s.certificate().orElseThrow()), "certificate"));
                    break;
                case FEDERATED_TOKEN_FILE:
                    sources.add(new EntraClientSource(s, tls, ClientCredentialFactory.createFromCallback(
                            new FederatedAssertion(s.federatedTokenFile().orElseThrow())), "federated-token-file"));
                    break;
                case MANAGED_IDENTITY:
                    sources.add(new ManagedIdentitySource(s, tls));
                    break;
                default:
                    throw new IllegalStateException("unknown credential " + s.credential());
            }
            s.secondaryClientSecret().ifPresent(secret -> sources.add(new EntraClientSource(s, tls,
                    ClientCredentialFactory.createFromSecret(secret.reveal()), "secondary.client-secret")));
            s.secondaryCertificate().ifPresent(c -> sources.add(new EntraClientSource(s, tls, certificate(c),
                    "secondary.certificate")));
            return List.copyOf(sources);
        }
        switch (s.grant()) {
            case CLIENT_CREDENTIALS:
                sources.add(new ClientCredentialsSource(s, tls, s.clientSecret().orElseThrow(), "client-secret"));
                s.secondaryClientSecret().ifPresent(secret ->
                        sources.add(new ClientCredentialsSource(s, tls, secret, "secondary.client-secret")));
                break;
            case REFRESH_TOKEN:
                sources.add(refreshTokens == null ? new RefreshTokenSource(s, tls)
                        : new RefreshTokenSource(s, tls, refreshTokens));
                break;
            case JWT_BEARER:
                sources.add(new JwtBearerSource(s, tls));
                break;
            default:
                throw new IllegalStateException("unknown grant " + s.grant());
        }
        return List.copyOf(sources);
    }

    private static IClientCredential certificate(ClientCertificate c) {
        return c.chain().size() > 1 ? ClientCredentialFactory.createFromCertificateChain(c.privateKey(), c.chain())
                : ClientCredentialFactory.createFromCertificate(c.privateKey(), c.certificate());
    }
}
