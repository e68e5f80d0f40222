package io.github.oauth2mail.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.oauth2mail.testing.GraphEmulator;
import io.github.oauth2mail.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The server side of {@link GraphBench}, in its own JVM so that the client JVM's CPU time is the adapter's alone: an
 * HTTPS token endpoint (client_credentials; it remembers the scope each token was issued for) and either the strict
 * {@link GraphEmulator}, which accepts only tokens this endpoint issued for {@code https://graph.microsoft.com/.default}.
 * (The SMTP side of the benchmark is the {@link SmtpSink} process.)
 *
 * <p>Usage: {@code GraphBenchServer <certsDir>} (the {@link Certs} directory). Prints {@code READY <tokenEndpoint>
 * <graphEndpoint>}, then answers each {@code COUNTS} line on stdin with {@code COUNTS <messages delivered>}; exits when
 * stdin ends.
 */
public final class GraphBenchServer {

    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

    private final Map<String, String> scopeOfToken = new ConcurrentHashMap<>();
    private final HttpsServer tokens;

    private GraphBenchServer(TestCertificates certs) throws IOException {
        tokens = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        tokens.setHttpsConfigurator(new HttpsConfigurator(certs.serverContext()));
        tokens.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "token-endpoint");
            t.setDaemon(true);
            return t;
        }));
        tokens.createContext("/oauth2/token", this::token);
        tokens.start();
    }

    public static void main(String[] args) throws Exception {
        TestCertificates certs = TestCertificates.in(Path.of(args[0]));
        GraphBenchServer server = new GraphBenchServer(certs);
        String tokenEndpoint = "https://127.0.0.1:" + server.tokens.getAddress().getPort() + "/oauth2/token";
        GraphEmulator graph = GraphEmulator.start(certs, server::issuedForGraph);
        System.out.println("READY " + tokenEndpoint + " " + graph.endpoint());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("COUNTS")) {
                System.out.println("COUNTS " + graph.delivered().size());
                System.out.flush();
            }
        }
        graph.close();
        server.tokens.stop(0);
        System.exit(0);
    }

    /** A token this endpoint issued, and for the Graph scope (the audience Graph checks). */
    private boolean issuedForGraph(String token) {
        return GRAPH_SCOPE.equals(scopeOfToken.get(token));
    }

    private void token(HttpExchange ex) throws IOException {
        String form = new String(ex.getRequestBody().readNBytes(16 * 1024), StandardCharsets.UTF_8);
        String scope = "";
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("scope")) {
                scope = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        String token = "at-" + UUID.randomUUID();
        scopeOfToken.put(token, scope);
        byte[] body = ("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"" + token + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
