package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.CLIENT_ID;
import static io.github.oauth2mail.token.TokenFixtures.SECRET;
import static io.github.oauth2mail.token.TokenFixtures.TENANT;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MSAL4J really calling the local HTTPS issuer (TLS verified through the configured trust store). */
class EntraSourcesTest {

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

    @Test
    void fetch_answerTricklesInLongerThanTheCallBound_failsAsNoAnswerInTimeWithoutWaitingForIt() {
        Map<String, String> keys = TokenFixtures.entraSecret(issuer);
        keys.put(TokenFixtures.key("connect-timeout-ms"), "500");
        keys.put(TokenFixtures.key("read-timeout-ms"), "1000"); // the MSAL4J call is bounded at 2 x 1.5 s
        // every chunk comes within the read timeout, so MSAL4J's own timeouts never fire; the answer ends after 15 s
        issuer.stub(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"at-trickled-"
                        + "0123456789abcdef0123456789abcdef\"}")
                .withChunkedDribbleDelay(30, 15000));
        TokenSource s = source(keys);

        assertThatThrownBy(() -> s.fetch(null, false)).isInstanceOfSatisfying(TokenException.class, e -> {
            assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("OAM110", "no answer in time");
        });
    }

    @Test
    void fetch_clientSecret_postsSecretToTenantTokenPath() throws Exception {
        issuer.stubToken(3600);

        AccessToken t = source(TokenFixtures.entraSecret(issuer)).fetch(null, false);

        assertThat(issuer.tokenRequests()).isEqualTo(1);
        assertThat(issuer.requests().get(0).getUrl()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
        Map<String, String> form = issuer.lastRequestForm();
        assertThat(form).containsEntry("grant_type", "client_credentials").containsEntry("client_id", CLIENT_ID)
                .containsEntry("client_secret", SECRET);
        assertThat(form.get("scope")).contains(ConnectorSettings.DEFAULT_ENTRA_SCOPE);
        assertThat(issuer.issuedTokens()).containsExactly(t.value());
        assertThat(t.expiresAt()).isBetween(Instant.now().plusSeconds(3590), Instant.now().plusSeconds(3601));
    }

    @Test
    void fetch_skipCacheTwice_makesTwoRequestsWithNewTokens() throws Exception {
        issuer.stubToken(3600);
        TokenSource s = source(TokenFixtures.entraSecret(issuer));

        AccessToken a = s.fetch(null, false);
        AccessToken b = s.fetch(null, true);

        assertThat(issuer.tokenRequests()).isEqualTo(2);
        assertThat(a.sameValueAs(b)).isFalse();
    }

    @Test
    void fetch_pkcs12Certificate_sendsAssertionSignedWithCertificateKey() throws Exception {
        Path p12 = TokenFixtures.clientPkcs12(dir);
        Map<String, String> keys = TokenFixtures.entra(issuer);
        keys.put(key("certificate-path"), p12.toString());
        keys.put(key("certificate-password"), TokenFixtures.CERT_PASSWORD);
        ConnectorSettings settings = TokenFixtures.settings(keys);
        issuer.stubToken(3600);

        TokenSources.create(settings).get(0).fetch(null, false);

        assertSignedAssertion(settings);
    }

    @Test
    void fetch_pemCertificate_sendsAssertionSignedWithCertificateKey() throws Exception {
        Path pem = TokenFixtures.clientPem(dir, TokenFixtures.clientPkcs12(dir));
        Map<String, String> keys = TokenFixtures.entra(issuer);
        keys.put(key("certificate-path"), pem.toString());
        ConnectorSettings settings = TokenFixtures.settings(keys);
        issuer.stubToken(3600);

        TokenSources.create(settings).get(0).fetch(null, false);

        assertSignedAssertion(settings);
    }

    private static void assertSignedAssertion(ConnectorSettings settings) throws Exception {
        Map<String, String> form = issuer.lastRequestForm();
        assertThat(form).containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .doesNotContainKey("client_secret");
        SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
        RSAPublicKey key = (RSAPublicKey) settings.certificate().orElseThrow().certificate().getPublicKey();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(CLIENT_ID);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(CLIENT_ID);
        assertThat(jwt.getJWTClaimsSet().getAudience().get(0)).contains("/" + TENANT + "/oauth2/v2.0/token");
    }

    @Test
    void fetch_federatedTokenFile_sendsCurrentFileContentOnEveryRequest() throws Exception {
        Path file = dir.resolve("federated-token");
        TokenFixtures.write(file, "eyJ.assertion-one.sig\n");
        Map<String, String> keys = TokenFixtures.entra(issuer);
        keys.put(key("federated-token-file"), file.toString());
        TokenSource s = source(keys);
        issuer.stubToken(3600);

        s.fetch(null, false);
        assertThat(issuer.lastRequestForm()).containsEntry("client_assertion", "eyJ.assertion-one.sig")
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

        TokenFixtures.write(file, "eyJ.assertion-two.sig");
        s.fetch(null, true);
        assertThat(issuer.lastRequestForm()).containsEntry("client_assertion", "eyJ.assertion-two.sig");
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void fetch_federatedTokenFileDeleted_transientErrorNamingKey() throws Exception {
        Path file = dir.resolve("federated-gone");
        TokenFixtures.write(file, "x");
        Map<String, String> keys = TokenFixtures.entra(issuer);
        keys.put(key("federated-token-file"), file.toString());
        TokenSource s = source(keys);
        java.nio.file.Files.delete(file);
        issuer.stubToken(3600);

        assertThatThrownBy(() -> s.fetch(null, true)).isInstanceOfSatisfying(TokenException.class, e -> {
            assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
            assertThat(e.getMessage()).contains(key("federated-token-file"));
        });
        assertThat(issuer.tokenRequests()).isZero();
    }

    @Test
    void fetch_wrongSecret_permanentWithCodeCorrelationIdAndHint() {
        issuer.stubEntraError("invalid_client", 7000215, "Invalid client secret provided.", "corr-7000215");
        TokenSource s = source(TokenFixtures.entraSecret(issuer));

        assertThatThrownBy(() -> s.fetch(null, false)).isInstanceOfSatisfying(TokenException.class, e -> {
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.errorCode()).isEqualTo("AADSTS7000215");
            assertThat(e.correlationId()).isEqualTo("corr-7000215");
            assertThat(e.getMessage()).contains("OAM112", "client secret is wrong", key("client-secret"),
                    "corr-7000215", TENANT, CLIENT_ID).doesNotContain(SECRET);
        });
    }

    @Test
    void fetch_expiredSecret_hintSaysCreateNewOne() {
        issuer.stubEntraError("invalid_client", 7000222, "The provided client secret keys are expired.", "corr-x");

        assertThatThrownBy(() -> source(TokenFixtures.entraSecret(issuer)).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.getMessage())
                        .contains("AADSTS7000222", "client secret expired: create a new one"));
    }

    @Test
    void fetch_unknownTenant_hintNamesTenantKey() {
        issuer.stubEntraError("invalid_request", 90002, "Tenant not found.", "corr-t");

        assertThatThrownBy(() -> source(TokenFixtures.entraSecret(issuer)).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.isPermanent()).isTrue();
                    assertThat(e.getMessage()).contains("tenant not found: check " + key("tenant-id"));
                });
    }

    @Test
    void fetch_unknownApplication_hintNamesClientAndTenant() {
        issuer.stubEntraError("unauthorized_client", 700016, "Application not found in the directory.", "corr-a");

        assertThatThrownBy(() -> source(TokenFixtures.entraSecret(issuer)).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.getMessage())
                        .contains("application not found in tenant", key("client-id"), key("tenant-id")));
    }

    @Test
    void fetch_rateLimited_transientWithRetryAfter() {
        issuer.stubRateLimited(7);

        assertThatThrownBy(() -> source(TokenFixtures.entraSecret(issuer)).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(e.getMessage()).contains("HTTP 429", "rate limited");
                });
        assertThat(issuer.tokenRequests()).isEqualTo(1);
    }

    @Test
    void fetch_serverErrorPage_transientAndNoInternalRetry() {
        issuer.stubServerError();

        assertThatThrownBy(() -> source(TokenFixtures.entraSecret(issuer)).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.kind()).as(e.toString() + e.getCause()).isEqualTo(TokenException.Kind.TRANSIENT);
                    assertThat(e.getMessage()).contains("OAM111", "not JSON");
                });
        assertThat(issuer.tokenRequests()).isEqualTo(1);
    }

    @Test
    void fetch_serviceUnavailableJson_transientAndNoInternalRetry() {
        issuer.stubError(503, "temporarily_unavailable", "AADSTS90033: A transient error has occurred.", "corr-503");

        assertThatThrownBy(() -> source(TokenFixtures.entraSecret(issuer)).fetch(null, false))
                .isInstanceOfSatisfying(TokenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
                    assertThat(e.getMessage()).contains("HTTP 503", "corr-503", "retrying with back-off");
                });
        assertThat(issuer.tokenRequests()).isEqualTo(1);
    }

    @Test
    void fetch_issuerSlowerThanReadTimeout_transientTimeout() {
        Map<String, String> keys = TokenFixtures.entraSecret(issuer);
        keys.put(key("read-timeout-ms"), "300");
        issuer.stubSlowToken(Duration.ofMillis(1500), 3600);

        assertThatThrownBy(() -> source(keys).fetch(null, false)).isInstanceOfSatisfying(TokenException.class, e -> {
            assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("OAM110", "no answer in time", key("read-timeout-ms"));
        });
    }

    @Test
    void fetch_untrustedIssuerCertificate_transientTlsErrorNamingTrustStore() {
        Map<String, String> keys = TokenFixtures.entraSecret(issuer);
        keys.remove(key("trust-store-path"));
        keys.remove(key("trust-store-password"));
        issuer.stubToken(3600);

        assertThatThrownBy(() -> source(keys).fetch(null, false)).isInstanceOfSatisfying(TokenException.class,
                e -> assertThat(e.getMessage()).contains("TLS", key("trust-store-path")));
        assertThat(issuer.tokenRequests()).isZero();
    }

    @Test
    void fetch_responseWithoutExpiresIn_rejected() {
        issuer.stubJson(200, "{\"token_type\":\"Bearer\",\"access_token\":\"at-no-expiry\"}");

        assertThatThrownBy(() -> source(TokenFixtures.entraSecret(issuer)).fetch(null, false))
                .isInstanceOf(TokenException.class).hasMessageContaining("expires_in");
    }
}
