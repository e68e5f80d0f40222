package io.github.oauth2mail.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTPS OAuth2 token endpoint for tests (WireMock), with a self-signed certificate from
 * {@link TestCertificates}. Every POST to a path ending in {@code /token} is answered by the current stub; MSAL4J
 * pointed at {@link #entraAuthority()} posts to {@code <authority><tenant>/oauth2/v2.0/token}, a generic source uses
 * {@link #tokenEndpoint()}.
 *
 * <pre>{@code
 * try (TestTokenIssuer issuer = TestTokenIssuer.start(tempDir)) {
 *     issuer.stubToken(3600);                                 // a new random token on every request
 *     Map<String, String> keys = issuer.trustKeys("office365"); // trust-store-path / -password for the settings
 *     ... issuer.tokenRequests(); issuer.lastRequestForm().get("client_secret"); issuer.issuedTokens();
 * }
 * }</pre>
 * Stubs replace each other ({@code stub*} resets the previous one). Thread-safe as WireMock is.
 */
public final class TestTokenIssuer implements AutoCloseable {

    /** Matches every token request the issuer answers. */
    public static final String TOKEN_PATH_REGEX = ".*/token";
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");

    private final TestCertificates certs;
    private WireMockServer server;
    private int port;

    private TestTokenIssuer(TestCertificates certs, int port) {
        this.certs = certs;
        this.server = newServer(certs, port);
        this.server.start();
        this.port = server.httpsPort();
    }

    /** Starts an issuer on a free port; certificates are made (once) in {@code dir}. */
    public static TestTokenIssuer start(Path dir) {
        return new TestTokenIssuer(TestCertificates.in(dir), 0);
    }

    public TestCertificates certificates() {
        return certs;
    }

    public int port() {
        return port;
    }

    /** {@code https://127.0.0.1:<port>/} */
    public String baseUrl() {
        return "https://127.0.0.1:" + port + "/";
    }

    /** The value for {@code oauth2mail.<name>.authority}: MSAL4J then posts to {@code <this><tenant>/oauth2/v2.0/token}. */
    public String entraAuthority() {
        return baseUrl();
    }

    /** The value for {@code oauth2mail.<name>.token-endpoint} (generic OAuth2). */
    public String tokenEndpoint() {
        return baseUrl() + "oauth2/token";
    }

    /** {@code trust-store-path} and {@code trust-store-password} keys for resource {@code name}, trusting this issuer. */
    public Map<String, String> trustKeys(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("oauth2mail." + name + ".trust-store-path", certs.trustStore().toString());
        m.put("oauth2mail." + name + ".trust-store-password", TestCertificates.PASSWORD);
        return m;
    }

    /**
     * Keys for an Entra client-secret resource {@code name} that gets its tokens from this issuer (tenant
     * {@code test-tenant}, client {@code test-client}, secret {@code test-secret}), trusting it. Add {@code mailbox}
     * and the mail server keys; then {@code ConnectorSettings.load(name, SettingsSource.of(keys), Map.of())} and
     * {@code TokenRefresher.create(settings)}.
     */
    public Map<String, String> entraClientSecretKeys(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        String p = "oauth2mail." + name + ".";
        m.put(p + "provider", "entra");
        m.put(p + "authority", entraAuthority());
        m.put(p + "tenant-id", "test-tenant");
        m.put(p + "client-id", "test-client");
        m.put(p + "client-secret", "test-secret");
        m.putAll(trustKeys(name));
        return m;
    }

    /** The underlying server, for anything not covered here. */
    public WireMockServer wireMock() {
        return server;
    }

    // ---- answers ----

    /** Every request gets a new random Bearer token valid for {@code expiresIn} seconds. */
    public TestTokenIssuer stubToken(long expiresIn) {
        return stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"ext_expires_in\":" + expiresIn
                        + ",\"access_token\":\"at-{{randomValue length=32 type='ALPHANUMERIC'}}\"}")
                .withTransformers("response-template"));
    }

    /**
     * Every request gets a new random token that carries its own expiry: {@code at-<random>-exp<epoch ms>}, so a test
     * server can refuse expired tokens ({@link #expiryOf}).
     */
    public TestTokenIssuer stubExpiringTokens(long expiresIn) {
        return stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                        + ",\"access_token\":\"at-{{randomValue length=24 type='ALPHANUMERIC'}}-exp{{now offset='"
                        + expiresIn + " seconds' format='epoch'}}\"}")
                .withTransformers("response-template"));
    }

    /** The expiry a {@link #stubExpiringTokens} token carries, or null for other tokens. */
    public static java.time.Instant expiryOf(String token) {
        int i = token.lastIndexOf("-exp");
        if (!token.startsWith("at-") || i < 0) {
            return null;
        }
        try {
            return java.time.Instant.ofEpochMilli(Long.parseLong(token.substring(i + 4)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every request gets {@code token} valid for {@code expiresIn} seconds. */
    public TestTokenIssuer stubToken(String token, long expiresIn) {
        return stubJson(200, "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"access_token\":\"" + token + "\"}");
    }

    /** {@code token} plus a new random refresh token (rotation) on every request. */
    public TestTokenIssuer stubTokenWithRotatedRefreshToken(String token, long expiresIn) {
        return stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"access_token\":\"" + token
                        + "\",\"refresh_token\":\"rt-{{randomValue length=32 type='ALPHANUMERIC'}}\"}")
                .withTransformers("response-template"));
    }

    /** A random token plus a new random refresh token (rotation) on every request. */
    public TestTokenIssuer stubTokenWithRotatedRefreshToken(long expiresIn) {
        return stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                        + ",\"access_token\":\"at-{{randomValue length=32 type='ALPHANUMERIC'}}\""
                        + ",\"refresh_token\":\"rt-{{randomValue length=32 type='ALPHANUMERIC'}}\"}")
                .withTransformers("response-template"));
    }

    /**
     * Like an identity provider after a secret rotation: a token ({@code token}, or a random one when null) only for
     * requests whose form carries {@code param=value} (e.g. {@code client_secret}); every other request gets an Entra
     * {@code 401 invalid_client AADSTS7000215}.
     */
    public synchronized TestTokenIssuer stubTokenOnlyFor(String param, String value, String token, long expiresIn) {
        String at = token != null ? token : "at-{{randomValue length=32 type='ALPHANUMERIC'}}";
        server.resetMappings();
        server.stubFor(post(urlPathMatching(TOKEN_PATH_REGEX)).atPriority(2).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(entraErrorJson("invalid_client", 7000215,
                        "Invalid client secret provided.", "corr-rotated"))));
        server.stubFor(post(urlPathMatching(TOKEN_PATH_REGEX)).atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                        param + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("client-request-id", "{{request.headers.client-request-id}}")
                        .withBody("{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"access_token\":\""
                                + at + "\"}")
                        .withTransformers("response-template")));
        return this;
    }

    /** Every refresh token this issuer has handed out, in order (for rotation checks). */
    public List<String> issuedRefreshTokens() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<String> tokens = new ArrayList<>();
        for (ServeEvent e : events) {
            if (e.getResponse() != null && e.getResponse().getBodyAsString() != null) {
                Matcher m = REFRESH_TOKEN.matcher(e.getResponse().getBodyAsString());
                while (m.find()) {
                    tokens.add(m.group(1));
                }
            }
        }
        return tokens;
    }

    /** A random token after {@code delay} (use a delay beyond the client's read timeout to simulate a hanging issuer). */
    public TestTokenIssuer stubSlowToken(Duration delay, long expiresIn) {
        return stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                        + ",\"access_token\":\"at-{{randomValue length=32 type='ALPHANUMERIC'}}\"}")
                .withTransformers("response-template").withFixedDelay((int) delay.toMillis()));
    }

    /** An OAuth2 error answer: {@code {"error": error, "error_description": description, "correlation_id": ...}}. */
    public TestTokenIssuer stubError(int status, String error, String description, String correlationId) {
        return stubJson(status, "{\"error\":\"" + error + "\",\"error_description\":\"" + description
                + "\",\"correlation_id\":\"" + correlationId + "\",\"trace_id\":\"trace-" + correlationId + "\"}");
    }

    /**
     * An Entra-shaped error: status 401 for client errors, {@code error_description} starting with
     * {@code AADSTS<code>:}, {@code error_codes} and {@code correlation_id}.
     */
    public TestTokenIssuer stubEntraError(String error, int aadstsCode, String text, String correlationId) {
        return stubJson(error.equals("invalid_client") ? 401 : 400, entraErrorJson(error, aadstsCode, text, correlationId));
    }

    private static String entraErrorJson(String error, int aadstsCode, String text, String correlationId) {
        return "{\"error\":\"" + error
                + "\",\"error_description\":\"AADSTS" + aadstsCode + ": " + text + " Trace ID: t1 Correlation ID: "
                + correlationId + " Timestamp: 2026-01-01 00:00:00Z\",\"error_codes\":[" + aadstsCode
                + "],\"timestamp\":\"2026-01-01 00:00:00Z\",\"trace_id\":\"t1\",\"correlation_id\":\"" + correlationId + "\"}";
    }

    /** 429 with {@code Retry-After: seconds}. */
    public TestTokenIssuer stubRateLimited(long retryAfterSeconds) {
        return stub(aResponse().withStatus(429).withHeader("Retry-After", String.valueOf(retryAfterSeconds))
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"temporarily_unavailable\",\"error_description\":\"too many requests\"}"));
    }

    /** A 500 with a non-JSON body. */
    public TestTokenIssuer stubServerError() {
        return stub(aResponse().withStatus(500).withHeader("Content-Type", "text/html").withBody("<html>boom</html>"));
    }

    /** The connection is reset without an answer. */
    public TestTokenIssuer stubConnectionReset() {
        return stub(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    /** A 200 JSON answer with {@code json} as body (e.g. to test response checks). */
    public TestTokenIssuer stubJson(int status, String json) {
        return stub(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json));
    }

    /** Replaces the current answer to token requests. */
    public synchronized TestTokenIssuer stub(ResponseDefinitionBuilder response) {
        // echo MSAL4J's correlation id as Entra does (else MSAL4J logs a mismatch on every request)
        response.withHeader("client-request-id", "{{request.headers.client-request-id}}")
                .withTransformers("response-template");
        server.resetMappings();
        server.stubFor(post(urlPathMatching(TOKEN_PATH_REGEX)).willReturn(response));
        return this;
    }

    /** Path of the Azure App Service style managed identity endpoint ({@link #managedIdentityEndpoint()}). */
    public static final String MANAGED_IDENTITY_PATH = "/msi/token";

    /** The value for MSAL4J's {@code IDENTITY_ENDPOINT} (App Service managed identity source). */
    public String managedIdentityEndpoint() {
        return "https://127.0.0.1:" + port + MANAGED_IDENTITY_PATH;
    }

    /**
     * Answers App Service managed identity requests ({@code GET /msi/token?api-version=2019-08-01&resource=...}) with a
     * random token and {@code expires_on} = now + {@code expiresIn} seconds. Does not touch the token-endpoint stub.
     */
    public TestTokenIssuer stubManagedIdentityToken(long expiresIn) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(MANAGED_IDENTITY_PATH))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"mi-{{randomValue length=32 type='ALPHANUMERIC'}}\","
                                + "\"expires_on\":\"{{now offset='" + expiresIn + " seconds' format='unix'}}\","
                                + "\"resource\":\"{{request.query.resource}}\",\"token_type\":\"Bearer\"}")
                        .withTransformers("response-template")));
        return this;
    }

    /** Managed identity requests received. */
    public List<LoggedRequest> managedIdentityRequests() {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(MANAGED_IDENTITY_PATH)));
    }

    // ---- what the issuer saw ----

    /** Number of token requests received (including failed ones) since start or {@link #resetRequests()}. */
    public int tokenRequests() {
        return server.findAll(postRequestedFor(urlPathMatching(TOKEN_PATH_REGEX))).size();
    }

    /** Token requests in arrival order. */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> l = new ArrayList<>(server.findAll(postRequestedFor(urlPathMatching(TOKEN_PATH_REGEX))));
        l.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return l;
    }

    /** The body of the last token request, or null. */
    public String lastRequestBody() {
        List<LoggedRequest> l = requests();
        return l.isEmpty() ? null : l.get(l.size() - 1).getBodyAsString();
    }

    /** The form parameters of the last token request (URL-decoded). */
    public Map<String, String> lastRequestForm() {
        return form(lastRequestBody());
    }

    /** Form parameters of a request body. */
    public static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return m;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            m.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** Every access token value this issuer has handed out (for "never logged" checks). */
    public List<String> issuedTokens() {
        List<String> tokens = new ArrayList<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            if (e.getResponse() != null && e.getResponse().getBodyAsString() != null) {
                Matcher m = ACCESS_TOKEN.matcher(e.getResponse().getBodyAsString());
                while (m.find()) {
                    tokens.add(m.group(1));
                }
            }
        }
        return tokens;
    }

    /** Forgets the requests seen so far (counts start at zero again). */
    public void resetRequests() {
        server.resetRequests();
    }

    // ---- lifecycle ----

    /** Stops listening: clients get "connection refused". Stubs and the request log are kept for {@link #restart()}. */
    public synchronized void stop() {
        server.stop();
    }

    /** Listens again on the same port (a new server: set a stub again). */
    public synchronized void restart() {
        server.stop();
        server = newServer(certs, port);
        server.start();
    }

    @Override
    public synchronized void close() {
        server.stop();
    }

    private static WireMockServer newServer(TestCertificates certs, int port) {
        return new WireMockServer(wireMockConfig()
                .httpDisabled(true)
                .httpsPort(port)
                .bindAddress("127.0.0.1")
                .keystorePath(certs.serverKeyStore().toString())
                .keystoreType("PKCS12")
                .keystorePassword(TestCertificates.PASSWORD)
                .keyManagerPassword(TestCertificates.PASSWORD)
                .jettyStopTimeout(0L)
                .notifier(new ConsoleNotifier(false)));
    }
}
