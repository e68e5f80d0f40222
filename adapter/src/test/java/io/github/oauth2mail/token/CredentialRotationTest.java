package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.MAILBOX;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.ops.AuditLog;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, rotation without restart: MSAL4J against the local HTTPS issuer, the refresher in fake time (starting at
 * the real time, as the issuer's tokens expire in real time), a settings source whose values the test changes as an
 * admin changes MicroProfile Config, and certificate files replaced on disk. No restart, no JMX call.
 */
class CredentialRotationTest {

    static final String OLD_SECRET = "rotation-old-secret-Q7w1";
    static final String NEW_SECRET = "rotation-new-secret-Z3k9";

    @TempDir
    static Path dir;
    static TestTokenIssuer issuer;

    final FakeTime time = new FakeTime(Instant.now());
    final Map<String, String> config = new ConcurrentHashMap<>();
    final SettingsSource live = k -> Optional.ofNullable(config.get(k)).filter(v -> !v.isBlank());
    LogCapture log;
    TokenRefresher refresher;

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start(dir);
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @BeforeEach
    void capture() {
        issuer.resetRequests();
        log = new LogCapture();
    }

    @AfterEach
    void close() {
        if (refresher != null) {
            refresher.close();
        }
        log.close();
    }

    private TokenRefresher refresher() {
        ConnectorSettings s = ConnectorSettings.load(TokenFixtures.NAME, live, Map.of());
        refresher = TokenRefresher.create(s, TlsSupport.sslContext(s), RefreshTiming.DEFAULT, time, time,
                new TokenRefresherFakeTimeTest.DirectExecutor());
        refresher.addListener(new AuditLog(s));
        return refresher;
    }

    @Test
    void token_secretRotatedAtProviderThenFixedInConfigSource_nextRequestUsesNewSecretWithoutWaitingForBackoff()
            throws Exception {
        config.putAll(TokenFixtures.entra(issuer));
        config.put(key("client-secret"), OLD_SECRET);
        issuer.stubTokenOnlyFor("client_secret", OLD_SECRET, null, 3600);
        TokenRefresher r = refresher();
        AccessToken first = r.token(MAILBOX);

        // the old secret is revoked at the provider; a mail server rejects the token, the fresh fetch is refused
        issuer.stubTokenOnlyFor("client_secret", NEW_SECRET, null, 3600);
        r.invalidate(MAILBOX, first);
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOfSatisfying(TokenException.class,
                e -> assertThat(e.errorCode()).isEqualTo("AADSTS7000215"));
        int requestsWhileBroken = issuer.tokenRequests();

        // the admin puts the new secret into the config source; a second later a send asks for a token
        config.put(key("client-secret"), NEW_SECRET);
        time.advance(Duration.ofSeconds(1));
        AccessToken recovered = r.token(MAILBOX);

        assertThat(recovered.sameValueAs(first)).isFalse();
        assertThat(issuer.tokenRequests()).isEqualTo(requestsWhileBroken + 1);
        assertThat(issuer.lastRequestForm()).containsEntry("client_secret", NEW_SECRET);
        assertThat(log.all()).contains("OAM120", "OAM408 credential reloaded", "credential=client-secret")
                .doesNotContain(NEW_SECRET).doesNotContain(OLD_SECRET);
        assertThat(r.status().lastErrorCode()).isNull();
    }

    @Test
    void token_certificateFileReplacedAfterRejection_nextRequestSignedWithTheNewCertificate() throws Exception {
        Path oldCert = TokenFixtures.clientPkcs12(dir.resolve("old"));
        Path newCert = TokenFixtures.clientPkcs12(dir.resolve("new"));
        Path configured = dir.resolve("client-cert-in-use.p12");
        Files.copy(oldCert, configured, StandardCopyOption.REPLACE_EXISTING);
        config.putAll(TokenFixtures.entra(issuer));
        config.put(key("certificate-path"), configured.toString());
        config.put(key("certificate-password"), TokenFixtures.CERT_PASSWORD);
        issuer.stubEntraError("invalid_client", 700027, "Client assertion failed signature validation.", "corr-cert");
        TokenRefresher r = refresher();
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOfSatisfying(TokenException.class,
                e -> assertThat(e.errorCode()).isEqualTo("AADSTS700027"));

        // tooling replaces the file's content at the same path; the provider accepts the new certificate
        Files.copy(newCert, configured, StandardCopyOption.REPLACE_EXISTING);
        issuer.stubToken(3600);
        time.advance(Duration.ofSeconds(1));
        r.token(MAILBOX);

        SignedJWT assertion = SignedJWT.parse(issuer.lastRequestForm().get("client_assertion"));
        assertThat(assertion.verify(new RSASSAVerifier(publicKey(newCert)))).as("signed with the new key").isTrue();
        assertThat(assertion.verify(new RSASSAVerifier(publicKey(oldCert)))).isFalse();
        assertThat(log.all()).contains("OAM408 credential reloaded", "credential=certificate-path")
                .doesNotContain(TokenFixtures.CERT_PASSWORD);
    }

    @Test
    void token_secretChangedInConfigWhileWorking_backgroundRefreshAfterFiveMinutesUsesIt() throws Exception {
        config.putAll(TokenFixtures.entra(issuer));
        config.put(key("client-secret"), OLD_SECRET);
        issuer.stubToken(3600);
        TokenRefresher r = refresher();
        r.token(MAILBOX);
        assertThat(issuer.lastRequestForm()).containsEntry("client_secret", OLD_SECRET);

        config.put(key("client-secret"), NEW_SECRET);
        time.advance(Duration.ofMinutes(31)); // refresh ahead at half-life; the credentials are due to be read again

        assertThat(issuer.tokenRequests()).isEqualTo(2);
        assertThat(issuer.lastRequestForm()).containsEntry("client_secret", NEW_SECRET);
        assertThat(log.all()).contains("OAM408 credential reloaded").doesNotContain(NEW_SECRET);
    }

    @Test
    void status_onlyCredentialExpiresChangedInConfig_newDateShownAfterTheNextReadWithoutAReloadOfTheSecret()
            throws Exception {
        config.putAll(TokenFixtures.entra(issuer));
        config.put(key("client-secret"), OLD_SECRET);
        config.put(key("credential-expires"), "2099-01-31");
        issuer.stubToken(3600);
        TokenRefresher r = refresher();
        r.token(MAILBOX);
        assertThat(r.status().credentialExpiresAt()).isEqualTo(Instant.parse("2099-01-31T00:00:00Z"));

        // the admin renewed the secret's expiry at the provider (same secret) and corrects the date only
        config.put(key("credential-expires"), "2099-12-31");
        time.advance(Duration.ofMinutes(31)); // refresh ahead at half-life; the settings are due to be read again

        assertThat(r.status().credentialExpiresAt()).as("the date from the configuration, read again")
                .isEqualTo(Instant.parse("2099-12-31T00:00:00Z"));
        assertThat(issuer.lastRequestForm()).containsEntry("client_secret", OLD_SECRET);
        assertThat(log.all()).as("the secret itself did not change").doesNotContain("OAM120")
                .doesNotContain("OAM408");
    }

    @Test
    void token_settingsInvalidWhenReadAgain_keepsTheCredentialInUseAndSaysWhy() throws Exception {
        config.putAll(TokenFixtures.entra(issuer));
        config.put(key("client-secret"), OLD_SECRET);
        issuer.stubToken(3600);
        TokenRefresher r = refresher();
        r.token(MAILBOX);

        config.remove(key("client-secret")); // an admin half-way through an edit
        time.advance(Duration.ofMinutes(31));

        assertThat(issuer.tokenRequests()).isEqualTo(2);
        assertThat(issuer.lastRequestForm()).containsEntry("client_secret", OLD_SECRET);
        assertThat(log.all()).contains("OAM121", "no credential is set").doesNotContain("OAM408");
    }

    @Test
    void token_refreshTokenRefusedThenNewOneInConfigSource_usedAtOnceAndKeptInTheFile() throws Exception {
        Path file = dir.resolve("rotation.refresh-token");
        config.putAll(TokenFixtures.oauth2(issuer, "refresh_token"));
        config.put(key("refresh-token"), "rt-revoked-by-provider-1");
        config.put(key("refresh-token-file"), file.toString());
        Files.deleteIfExists(file);
        issuer.stubError(400, "invalid_grant", "refresh token revoked", "corr-rt");
        TokenRefresher r = refresher();
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOfSatisfying(TokenException.class,
                e -> assertThat(e.errorCode()).isEqualTo("invalid_grant"));

        config.put(key("refresh-token"), "rt-new-from-admin-2");
        issuer.stubTokenWithRotatedRefreshToken(3600);
        time.advance(Duration.ofSeconds(1));
        r.token(MAILBOX);

        assertThat(issuer.lastRequestForm()).containsEntry("refresh_token", "rt-new-from-admin-2");
        List<String> rotated = issuer.issuedRefreshTokens();
        assertThat(Files.readString(file).trim()).isEqualTo(rotated.get(rotated.size() - 1));
        assertThat(log.all()).contains("OAM408 credential reloaded", "credential=refresh-token")
                .doesNotContain("rt-new-from-admin-2").doesNotContain(rotated.get(0));
    }

    private static RSAPublicKey publicKey(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            ks.load(in, TokenFixtures.CERT_PASSWORD.toCharArray());
        }
        return (RSAPublicKey) ks.getCertificate("client").getPublicKey();
    }
}
