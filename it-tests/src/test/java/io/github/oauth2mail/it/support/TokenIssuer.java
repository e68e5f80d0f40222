package io.github.oauth2mail.it.support;

import io.github.oauth2mail.testing.TestCertificates;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.List;

/**
 * A local HTTPS OAuth2 token endpoint for the {@code client_credentials} grant (client authentication with HTTP basic,
 * as the connector's generic source sends it), and the authority that says which tokens are valid: GreenMail asks
 * {@link #isValid(String)} on every XOAUTH2 login (see {@link MailServer#acceptTokensFrom}), so a token works from its
 * issue until its {@code expires_in} has passed, like an Entra ID access token at Exchange Online, and
 * {@link #revoke()} makes every token issued so far worthless at once. Every request is counted; a listener hears of
 * every token handed out (the demo prints it).
 *
 * <p>Answers: 200 {@code {"access_token":..,"token_type":"Bearer","expires_in":N}}; 401 {@code invalid_client} for a
 * wrong client id or secret; 400 {@code unsupported_grant_type} / {@code invalid_request} otherwise.
 */
public final class TokenIssuer implements AutoCloseable {

    public static final String PATH = "/oauth2/token";

    private final HttpsServer server;
    private final ExecutorService executor;
    private final String clientId;
    private volatile String clientSecret;
    private final Consumer<String> onIssue;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicLong lifetimeSeconds;
    private volatile boolean rejectClients;
    private final List<String> scopes = new CopyOnWriteArrayList<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final Map<String, Long> expiryNanosByToken = new ConcurrentHashMap<>();

    private TokenIssuer(HttpsServer server, ExecutorService executor, String clientId, String clientSecret,
            long lifetimeSeconds, Consumer<String> onIssue) {
        this.server = server;
        this.executor = executor;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.lifetimeSeconds = new AtomicLong(lifetimeSeconds);
        this.onIssue = onIssue;
    }

    /** Starts the issuer on a free port of 127.0.0.1 with the test certificate. */
    public static TokenIssuer start(TestCertificates certificates, String clientId, String clientSecret,
            long lifetimeSeconds, Consumer<String> onIssue) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(MailServer.HOST, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext()));
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "token-issuer");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        TokenIssuer issuer = new TokenIssuer(server, executor, clientId, clientSecret, lifetimeSeconds, onIssue);
        server.createContext(PATH, issuer::handle);
        server.start();
        return issuer;
    }

    /**
     * Runs an issuer on its own, for trying a connector in a server of your own: prints the endpoint, the client
     * credentials and the trust store, logs every token, stops on Ctrl-C.
     * After {@code mvn -pl it-tests -am install -DskipTests}: {@code mvn -pl it-tests exec:java
     * -Dexec.mainClass=io.github.oauth2mail.it.support.TokenIssuer -Dexec.classpathScope=test
     * -Dexec.args="<client-id> <client-secret> <lifetime-seconds>"}
     */
    public static void main(String[] args) throws Exception {
        String id = args.length > 0 ? args[0] : "oauth2mail-demo-client";
        String secret = args.length > 1 ? args[1] : "demo-client-secret";
        long lifetime = args.length > 2 ? Long.parseLong(args[2]) : 300;
        TestCertificates certs = Layout.certificates();
        TokenIssuer issuer = start(certs, id, secret, lifetime,
                token -> System.out.println("issued a token (expires in " + lifetime + " s)"));
        Runtime.getRuntime().addShutdownHook(new Thread(issuer::close, "token-issuer-stop"));
        System.out.println("token endpoint " + issuer.endpoint() + " for client id " + id + " (secret as given)");
        System.out.println("trust store " + certs.trustStore() + " (PKCS12, password "
                + TestCertificates.PASSWORD + ")");
        new java.util.concurrent.CountDownLatch(1).await();
    }

    public URI endpoint() {
        return URI.create("https://" + MailServer.HOST + ":" + server.getAddress().getPort() + PATH);
    }

    /** Every request that reached the endpoint, good or bad. */
    public int requestCount() {
        return requests.get();
    }

    /** Tokens handed out. */
    public int issuedCount() {
        return issued.get();
    }

    /** The scope parameter of every request, in order. */
    public List<String> scopes() {
        return List.copyOf(scopes);
    }

    /** Every token handed out, oldest first (tests look for them where they must never appear: the server log). */
    public List<String> issuedTokens() {
        return List.copyOf(tokens);
    }

    /** The {@code expires_in} of tokens issued from now on. */
    public void lifetimeSeconds(long seconds) {
        lifetimeSeconds.set(seconds);
    }

    /** True for a token this issuer handed out, not revoked since, whose lifetime has not passed. */
    public boolean isValid(String token) {
        Long expiry = token == null ? null : expiryNanosByToken.get(token);
        return expiry != null && System.nanoTime() - expiry < 0;
    }

    /**
     * {@code true}: answer every request 401 {@code invalid_client}, as an identity provider does after the app's
     * secret was deleted or the app disabled; {@code false}: back to normal.
     */
    public void rejectClients(boolean value) {
        rejectClients = value;
    }

    /**
     * Accepts only {@code secret} from now on, as an identity provider does after the app's old secret was deleted
     * and a new one created (a rotation); requests with the old secret get 401 {@code invalid_client}.
     */
    public void clientSecret(String secret) {
        clientSecret = secret;
    }

    /** Revokes every token issued so far: the mail server stops accepting them at once. */
    public void revoke() {
        expiryNanosByToken.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"invalid_request\",\"error_description\":\"POST only\"}");
                return;
            }
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            scopes.add(String.valueOf(form.get("scope")));
            if (rejectClients || !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test-issuer\"");
                respond(exchange, 401,
                        "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}");
                return;
            }
            if (!"client_credentials".equals(form.get("grant_type"))) {
                respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            String token = "at-" + issued.incrementAndGet() + "-" + randomText();
            long lifetime = lifetimeSeconds.get();
            tokens.add(token);
            expiryNanosByToken.put(token, System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetime));
            onIssue.accept(token);
            respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + lifetime + "}");
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        // RFC 6749 2.3.1: id and secret are form-urlencoded before the basic encoding
        String id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
        String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        return clientId.equals(id) && clientSecret.equals(secret);
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            form.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String randomText() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
