package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.CLIENT_ID;
import static io.github.oauth2mail.token.TokenFixtures.MAILBOX;
import static io.github.oauth2mail.token.TokenFixtures.REFRESH_TOKEN;
import static io.github.oauth2mail.token.TokenFixtures.SECRET;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic (Nimbus OAuth 2.0 SDK) grants really calling the local HTTPS issuer. */
class OAuth2SourcesTest {

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
    }

    private static TokenSource source(Map<String, String> keys) {
        return TokenSources.create(TokenFixtures.settings(keys)).get(0);
    }

    private static Map<String, String> clientCredentials(String clientAuth) {
        Map<String, String> keys = TokenFixtures.oauth2(issuer, "client_credentials");
        keys.put(key("client-secret"), SECRET);
        keys.put(key("scope"), "https://mail.example.com/.default");
        keys.put(key("client-auth"), clientAuth);
        return keys;
    }

    @Test
    void fetch_clientCredentialsBasic_sendsSecretInAuthorizationHeader() throws Exception {
        issuer.stubToken(600);

        AccessToken t = source(clientCredentials("client_secret_basic")).fetch(null, false);

        assertThat(issuer.requests().get(0).getUrl()).isEqualTo("/oauth2/token");
        String auth = issuer.requests().get(0).getHeader("Authorization");
        String decoded = new String(Base64.getDecoder().decode(auth.substring("Basic ".length())), StandardCharsets.UTF_8);
        // RFC 6749 2.3.1: id and secret are form-urlencoded before base64
        assertThat(decoded.split(":")).extracting(p -> java.net.URLDecoder.decode(p, StandardCharsets.UTF_8))
                .containsExactly(CLIENT_ID, SECRET);
        assertThat(issuer.lastRequestForm()).containsEntry("grant_type", "client_credentials")
                .containsEntry("scope", "https://mail.example.com/.default").doesNotContainKey("client_secret");
        assertThat(issuer.issuedTokens()).containsExactly(t.value());
    }

    @Test
    void fetch_afterClose_failsWithoutARequest() throws Exception {
        issuer.stubToken(600);
        TokenSource s = source(clientCredentials("client_secret_post"));
        s.fetch(null, false);

        s.close();

        assertThatThrownBy(() -> s.fetch(null, false)).isInstanceOf(TokenException.class)
                .satisfies(e -> assertThat(e.getCause()).hasMessageContaining("HTTP client was closed"));
        assertThat(issuer.requests()).hasSize(1);
    }

    @Test
    void fetch_clientCredentialsPost_sendsSecretInForm() throws Exception {
        issuer.stubToken(600);

        source(clientCredentials("client_secret_post")).fetch(null, false);

        assertThat(issuer.requests().get(0).containsHeader("Authorization")).isFalse();
        assertThat(issuer.lastRequestForm()).containsEntry("client_id", CLIENT_ID).containsEntry("client_secret", SECRET);
    }

    @Test
    void fetch_refreshTokenRotated_nextRequestUsesRotatedToken() throws Exception {
        Map<String, String> keys = TokenFixtures.oauth2(issuer, "refresh_token");
        keys.put(key("refresh-token"), REFRESH_TOKEN);
        TokenSource s = source(keys);
        issuer.stubTokenWithRotatedRefreshToken(600);

        s.fetch(null, false);
        assertThat(issuer.lastRequestForm()).containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", REFRESH_TOKEN).containsEntry("client_id", CLIENT_ID);
        String rotated = rotatedRefreshToken(0);

        s.fetch(null, true);
        assertThat(issuer.lastRequestForm()).containsEntry("refresh_token", rotated);
        assertThat(rotated).startsWith("rt-").isNotEqualTo(REFRESH_TOKEN);
    }

    @Test
    void fetch_refreshTokenNotRotated_keepsConfiguredOne() throws Exception {
        Map<String, String> keys = TokenFixtures.oauth2(issuer, "refresh_token");
        keys.put(key("refresh-token"), REFRESH_TOKEN);
        TokenSource s = source(keys);
        issuer.stubToken(600);

        s.fetch(null, false);
        s.fetch(null, true);

        assertThat(issuer.lastRequestForm()).containsEntry("refresh_token", REFRESH_TOKEN);
    }

    @Test
    void fetch_refreshTokenRevoked_permanentInvalidGrant() {
        Map<String, String> keys = TokenFixtures.oauth2(issuer, "refresh_token");
        keys.put(key("refresh-token"), REFRESH_TOKEN);
        issuer.stubError(400, "invalid_grant", "Token has been expired or revoked.", "c-1");

        assertThatThrownBy(() -> source(keys).fetch(null, false)).isInstanceOfSatisfying(TokenException.class, e -> {
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.errorCode()).isEqualTo("invalid_grant");
            assertThat(e.correlationId()).isEqualTo("c-1");
            assertThat(e.getMessage()).contains(key("refresh-token")).doesNotContain(REFRESH_TOKEN);
        });
    }

    @Test
    void fetch_jwtBearerRsa_signedAssertionWithMailboxAsSubject() throws Exception {
        KeyPair kp = TokenFixtures.signingKey(dir.resolve("rsa.pem"), "RSA");
        Map<String, String> keys = jwtBearer(dir.resolve("rsa.pem"));
        issuer.stubToken(600);

        source(keys).fetch("alice@example.com", false);

        SignedJWT jwt = assertion();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) kp.getPublic()))).isTrue();
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getSubject()).isEqualTo("alice@example.com");
        assertThat(c.getIssuer()).isEqualTo("svc@project.iam.example.com");
        assertThat(c.getAudience()).containsExactly("https://oauth2.example.com/token");
        assertThat(c.getStringClaim("scope")).isEqualTo("https://mail.google.com/");
        assertThat(c.getExpirationTime().toInstant()).isBefore(Instant.now().plusSeconds(301));
        assertThat(issuer.requests().get(0).containsHeader("Authorization")).isFalse();
    }

    @Test
    void fetch_jwtBearerEc_signedWithEs256() throws Exception {
        KeyPair kp = TokenFixtures.signingKey(dir.resolve("ec.pem"), "EC");
        issuer.stubToken(600);

        source(jwtBearer(dir.resolve("ec.pem"))).fetch(MAILBOX, false);

        SignedJWT jwt = assertion();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) kp.getPublic()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(MAILBOX);
    }

    private static Map<String, String> jwtBearer(Path key) {
        Map<String, String> keys = TokenFixtures.oauth2(issuer, "jwt-bearer");
        keys.put(key("signing-key-path"), key.toString());
        keys.put(key("scope"), "https://mail.google.com/");
        keys.put(key("jwt.issuer"), "svc@project.iam.example.com");
        keys.put(key("jwt.audience"), "https://oauth2.example.com/token");
        return keys;
    }

    private static SignedJWT assertion() throws Exception {
        Map<String, String> form = issuer.lastRequestForm();
        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        return SignedJWT.parse(form.get("assertion"));
    }

    @Test
    void fetch_tokenTypeNotBearer_rejected() {
        issuer.stubJson(200, "{\"token_type\":\"DPoP\",\"expires_in\":600,\"access_token\":\"at-dpop\"}");

        assertThatThrownBy(() -> source(clientCredentials("client_secret_basic")).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.isPermanent()).isTrue();
                    assertThat(e.getMessage()).contains("OAM113", "Bearer");
                });
    }

    @Test
    void fetch_expiresInMissingZeroOrAbsurd_rejected() {
        for (String expires : new String[] {"", ",\"expires_in\":0", ",\"expires_in\":-5", ",\"expires_in\":86401"}) {
            issuer.stubJson(200, "{\"token_type\":\"Bearer\",\"access_token\":\"at-x\"" + expires + "}");
            assertThatThrownBy(() -> source(clientCredentials("client_secret_basic")).fetch(null, false))
                    .as(expires).isInstanceOf(TokenException.class).hasMessageContaining("expires_in");
        }
    }

    @Test
    void fetch_emptyAccessToken_rejected() {
        issuer.stubJson(200, "{\"token_type\":\"Bearer\",\"expires_in\":600,\"access_token\":\"\"}");

        assertThatThrownBy(() -> source(clientCredentials("client_secret_basic")).fetch(null, false))
                .isInstanceOf(TokenException.class).hasMessageContaining("OAM113");
    }

    @Test
    void fetch_rateLimited_transientWithRetryAfter() {
        issuer.stubRateLimited(3);

        assertThatThrownBy(() -> source(clientCredentials("client_secret_basic")).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
                    assertThat(e.retryAfter()).hasSeconds(3);
                });
    }

    @Test
    void fetch_serverErrorPage_transientHttp500() {
        issuer.stubServerError();

        assertThatThrownBy(() -> source(clientCredentials("client_secret_basic")).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
                    assertThat(e.getMessage()).contains("HTTP 500");
                });
    }

    @Test
    void fetch_invalidClient_permanentWithHint() {
        issuer.stubError(401, "invalid_client", "Client authentication failed", "c-2");

        assertThatThrownBy(() -> source(clientCredentials("client_secret_basic")).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.isPermanent()).isTrue();
                    assertThat(e.getMessage()).contains("invalid_client", "client authentication failed",
                            key("client-id"), "c-2").doesNotContain(SECRET);
                });
    }

    @Test
    void fetch_connectionReset_transientIoError() {
        issuer.stubConnectionReset();

        assertThatThrownBy(() -> source(clientCredentials("client_secret_basic")).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
                    assertThat(e.getMessage()).contains("OAM110");
                });
    }

    private static String rotatedRefreshToken(int index) {
        String body = issuer.wireMock().getAllServeEvents().get(0).getResponse().getBodyAsString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"refresh_token\":\"([^\"]+)\"").matcher(body);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
