package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings and key material for token tests. */
final class TokenFixtures {

    static final String NAME = "office365";
    static final String TENANT = "contoso-tenant";
    static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    static final String SECRET = "Sup3r-S3cret~Value.0123456789";
    static final String SECONDARY_SECRET = "N3xt-S3cret~Value.9876543210";
    static final String CERT_PASSWORD = "Cert-Pw-9f3K-unique";
    static final String REFRESH_TOKEN = "rt-initial-0123456789abcdef";
    static final String MAILBOX = "sender@example.com";

    private TokenFixtures() {
    }

    /** Keys shared by every test resource: mailbox, short timeouts, trust store of the issuer. */
    static Map<String, String> base(TestTokenIssuer issuer) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(key("mailbox"), MAILBOX);
        // generous: the machine running the tests may be busy; tests of timeouts set their own read-timeout-ms
        m.put(key("connect-timeout-ms"), "5000");
        m.put(key("read-timeout-ms"), "15000");
        m.put(key("token-wait-ms"), "20000");
        m.putAll(issuer.trustKeys(NAME));
        return m;
    }

    static Map<String, String> entra(TestTokenIssuer issuer) {
        Map<String, String> m = base(issuer);
        m.put(key("provider"), "entra");
        m.put(key("authority"), issuer.entraAuthority());
        m.put(key("tenant-id"), TENANT);
        m.put(key("client-id"), CLIENT_ID);
        return m;
    }

    static Map<String, String> entraSecret(TestTokenIssuer issuer) {
        Map<String, String> m = entra(issuer);
        m.put(key("client-secret"), SECRET);
        return m;
    }

    static Map<String, String> oauth2(TestTokenIssuer issuer, String grant) {
        Map<String, String> m = base(issuer);
        m.put(key("provider"), "oauth2");
        m.put(key("token-endpoint"), issuer.tokenEndpoint());
        m.put(key("grant-type"), grant);
        m.put(key("client-id"), CLIENT_ID);
        return m;
    }

    /** Generic client_credentials (exact lifetimes, unlike MSAL4J which rounds expiry to seconds). */
    static Map<String, String> clientCredentials(TestTokenIssuer issuer) {
        Map<String, String> m = oauth2(issuer, "client_credentials");
        m.put(key("client-secret"), SECRET);
        m.put(key("scope"), "mail.send");
        return m;
    }

    static ConnectorSettings settings(Map<String, String> keys) {
        return ConnectorSettings.load(NAME, SettingsSource.of(keys), Map.of());
    }

    static TokenRefresher refresher(Map<String, String> keys, RefreshTiming timing) {
        ConnectorSettings s = settings(keys);
        return new TokenRefresher(s, TokenSources.create(s), timing);
    }

    /** Default timing but a short permanent back-off and fast first retry, so tests stay short. */
    static RefreshTiming fastTiming() {
        return new RefreshTiming(Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(4));
    }

    static String key(String k) {
        return "oauth2mail." + NAME + "." + k;
    }

    /** A client certificate PKCS#12 (own key, password {@link #CERT_PASSWORD}) made with keytool. */
    static Path clientPkcs12(Path dir) throws Exception {
        TestCertificates c = TestCertificates.in(dir.resolve("client-cert"), "client.example.com");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(c.serverKeyStore())) {
            ks.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("server", TestCertificates.PASSWORD.toCharArray());
        Certificate[] chain = ks.getCertificateChain("server");
        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        out.setKeyEntry("client", key, CERT_PASSWORD.toCharArray(), chain);
        Path p = dir.resolve("client.p12");
        try (OutputStream o = Files.newOutputStream(p)) {
            out.store(o, CERT_PASSWORD.toCharArray());
        }
        return p;
    }

    /** The same client certificate as PEM (PKCS#8 key + certificate). */
    static Path clientPem(Path dir, Path pkcs12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            ks.load(in, CERT_PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("client", CERT_PASSWORD.toCharArray());
        String pem = pem("PRIVATE KEY", key.getEncoded()) + pem("CERTIFICATE", ks.getCertificate("client").getEncoded());
        Path p = dir.resolve("client.pem");
        Files.writeString(p, pem, StandardCharsets.US_ASCII);
        return p;
    }

    /** A new key pair whose private key is written as a PKCS#8 PEM file. */
    static KeyPair signingKey(Path file, String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        KeyPair kp = g.generateKeyPair();
        Files.writeString(file, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        return kp;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    static List<String> secrets() {
        return List.of(SECRET, SECONDARY_SECRET, CERT_PASSWORD, REFRESH_TOKEN);
    }
}
