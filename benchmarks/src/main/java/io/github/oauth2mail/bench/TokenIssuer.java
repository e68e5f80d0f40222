package io.github.oauth2mail.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A local HTTPS OAuth2 token endpoint (client_credentials): every POST gets a new random token valid for
 * {@code lifetimeSeconds}; it remembers when each request arrived (System.nanoTime), so a run can count token requests
 * and tell which sends overlapped a refresh.
 */
final class TokenIssuer implements AutoCloseable {

    private final HttpsServer server;
    private final List<Long> requestNanos = new ArrayList<>();
    private volatile long lifetimeSeconds;

    TokenIssuer(Path serverKeyStore, long lifetimeSeconds) throws IOException {
        this.lifetimeSeconds = lifetimeSeconds;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(Certs.serverContext(serverKeyStore)));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "token-issuer");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/oauth2/token", this::token);
        server.start();
    }

    private void token(HttpExchange ex) throws IOException {
        synchronized (requestNanos) {
            requestNanos.add(System.nanoTime());
        }
        ex.getRequestBody().readAllBytes();
        byte[] body = ("{\"token_type\":\"Bearer\",\"expires_in\":" + lifetimeSeconds + ",\"access_token\":\"at-"
                + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    String endpoint() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/token";
    }

    void lifetimeSeconds(long seconds) {
        this.lifetimeSeconds = seconds;
    }

    /** Arrival times (System.nanoTime) of the token requests so far. */
    List<Long> requests() {
        synchronized (requestNanos) {
            return new ArrayList<>(requestNanos);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
