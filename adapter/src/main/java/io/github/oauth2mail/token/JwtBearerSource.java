package io.github.oauth2mail.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import io.github.oauth2mail.config.ClientCertificate;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/**
 * RFC 7523 {@code jwt-bearer} grant: a JWT signed with the key at {@code signing-key-path} ({@code iss} =
 * {@code jwt.issuer}, {@code sub} = the mailbox, {@code aud} = {@code jwt.audience}, {@code scope} claim, five minutes
 * of validity) is exchanged for a token for that mailbox (Google service accounts with domain-wide delegation).
 */
final class JwtBearerSource implements TokenSource {

    static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);

    private final OAuth2Endpoint endpoint;
    private final ClientAuthentication auth;
    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;
    private final String issuer;
    private final String audience;
    private final String scope;

    JwtBearerSource(ConnectorSettings settings, SSLContext tls) {
        this.endpoint = new OAuth2Endpoint(settings, tls, "signing-key");
        this.auth = OAuth2Endpoint.clientAuth(settings, settings.clientSecret().orElse(null));
        PrivateKey key = ClientCertificate.PemKeys.fromFile(settings.signingKeyPath().orElseThrow());
        try {
            if (key instanceof ECPrivateKey) {
                this.signer = new ECDSASigner((ECPrivateKey) key);
                this.algorithm = JWSAlgorithm.ES256;
            } else {
                this.signer = new RSASSASigner(key);
                this.algorithm = JWSAlgorithm.RS256;
            }
        } catch (JOSEException e) {
            throw new io.github.oauth2mail.config.ConfigurationException(settings.name(), java.util.List.of(
                    settings.key(Setting.SIGNING_KEY_PATH) + ": the key cannot sign ES256/RS256 assertions"));
        }
        this.issuer = settings.jwtIssuer();
        this.audience = settings.jwtAudience();
        this.scope = String.join(" ", settings.scopes());
    }

    @Override
    public AccessToken fetch(String mailbox, boolean skipCache) throws TokenException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(mailbox)
                .audience(audience)
                .claim("scope", scope)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(com.nimbusds.jose.JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw TokenErrors.local(endpoint.context(), Setting.SIGNING_KEY_PATH,
                    "signing the assertion failed (" + e.getClass().getSimpleName() + ")", null);
        }
        TokenRequest request = auth != null ? new TokenRequest(endpoint.uri(), auth, new JWTBearerGrant(jwt), null)
                : new TokenRequest(endpoint.uri(), new JWTBearerGrant(jwt), null);
        return endpoint.token(endpoint.send(request));
    }

    @Override
    public boolean perMailbox() {
        return true;
    }

    @Override
    public String credential() {
        return endpoint.context().credential();
    }

    @Override
    public String toString() {
        return "JwtBearerSource[" + endpoint.context().describe() + ", iss " + issuer + ", aud " + audience + "]";
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
