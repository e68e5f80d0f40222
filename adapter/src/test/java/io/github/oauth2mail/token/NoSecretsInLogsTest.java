package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.MAILBOX;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs success and failure scenarios with all java.util.logging output at FINEST and checks that no secret and no
 * issued token ever appears in a log record, an exception message or stack trace, or a toString. Records of the test
 * issuer's own server (Jetty, WireMock) are left out: they are the identity provider's side, not the adapter's.
 */
class NoSecretsInLogsTest {

    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final String FEDERATED_ASSERTION = "eyJfederated.assertion-value-7Q2w.sig";

    @TempDir
    Path dir;
    TestTokenIssuer issuer;
    final List<String> output = new CopyOnWriteArrayList<>();
    final List<String> secrets = new CopyOnWriteArrayList<>(TokenFixtures.secrets());
    final List<String> issuedTokens = new ArrayList<>();
    private Handler handler;
    private Level rootLevel;
    private final List<Logger> quiet = new ArrayList<>();

    @BeforeEach
    void captureEverything() {
        issuer = TestTokenIssuer.start(dir);
        secrets.add(FEDERATED_ASSERTION);
        secrets.add(TestCertificates.PASSWORD); // the trust store password
        SimpleFormatter f = new SimpleFormatter();
        handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String name = String.valueOf(r.getLoggerName());
                if (!name.startsWith("org.eclipse.jetty") && !name.contains("wiremock") && !name.contains("tomakehurst")) {
                    output.add(name + " " + f.format(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.FINEST);
        root.addHandler(handler);
        for (String issuerSide : new String[] {"org.eclipse.jetty", "wiremock", "com.github.tomakehurst"}) {
            Logger l = Logger.getLogger(issuerSide); // the test issuer's server: its debug output only slows the test
            l.setLevel(Level.INFO);
            quiet.add(l);
        }
    }

    @AfterEach
    void restore() {
        Logger root = Logger.getLogger("");
        root.removeHandler(handler);
        root.setLevel(rootLevel);
        quiet.forEach(l -> l.setLevel(null));
        issuer.close();
    }

    @Test
    void scenarios_successAndFailure_noSecretOrTokenInAnyOutput() throws Exception {
        // Entra client secret with a secondary one: primary rejected, switch, refresh, invalidate
        Map<String, String> entra = TokenFixtures.entraSecret(issuer);
        entra.put(key("secondary.client-secret"), TokenFixtures.SECONDARY_SECRET);
        issuer.stubToken(3);
        issuer.wireMock().stubFor(post(urlPathMatching(TestTokenIssuer.TOKEN_PATH_REGEX)).atPriority(1)
                .withRequestBody(containing("Sup3r-S3cret")).willReturn(aResponse().withStatus(401)
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\","
                                + "\"error_description\":\"AADSTS7000215: Invalid client secret provided.\","
                                + "\"correlation_id\":\"c-1\"}")));
        run(entra, r -> {
            AccessToken t = r.token(MAILBOX);
            r.invalidate(MAILBOX, t);
            r.token(MAILBOX);
            await().atMost(Duration.ofSeconds(10)).until(() -> issuer.tokenRequests() >= 5);
            issuer.stubEntraError("invalid_client", 7000222, "The provided client secret keys are expired.", "c-5");
            await().atMost(Duration.ofSeconds(10)).until(() -> failed(r)); // the 3 s token runs out
        });

        // Entra certificate (PKCS#12 with password)
        Map<String, String> cert = TokenFixtures.entra(issuer);
        cert.put(key("certificate-path"), TokenFixtures.clientPkcs12(dir).toString());
        cert.put(key("certificate-password"), TokenFixtures.CERT_PASSWORD);
        issuer.stubToken(3600);
        run(cert, r -> {
            r.token(MAILBOX);
            issuer.stubEntraError("invalid_client", 700027, "Client assertion contains an invalid signature.", "c-2");
            r.invalidate(MAILBOX, r.token(MAILBOX));
            expectFailure(r);
        });

        // federated token file
        Path file = dir.resolve("federated");
        TokenFixtures.write(file, FEDERATED_ASSERTION);
        Map<String, String> federated = TokenFixtures.entra(issuer);
        federated.put(key("federated-token-file"), file.toString());
        issuer.stubToken(3600);
        run(federated, r -> r.token(MAILBOX));

        // generic refresh_token with rotation, then revoked
        Map<String, String> refresh = TokenFixtures.oauth2(issuer, "refresh_token");
        refresh.put(key("refresh-token"), TokenFixtures.REFRESH_TOKEN);
        refresh.put(key("client-secret"), TokenFixtures.SECRET);
        issuer.stubTokenWithRotatedRefreshToken(3600);
        run(refresh, r -> {
            AccessToken t = r.token(MAILBOX);
            r.invalidate(MAILBOX, t);
            r.token(MAILBOX);
        });
        issuer.stubError(400, "invalid_grant", "Token has been expired or revoked.", "c-3");
        run(refresh, this::expectFailure);

        // generic client_credentials: 429, 500, slow, invalid_client
        Map<String, String> cc = TokenFixtures.clientCredentials(issuer);
        cc.put(key("client-auth"), "client_secret_post");
        cc.put(key("read-timeout-ms"), "300");
        cc.put(key("token-wait-ms"), "1000");
        for (Runnable stub : List.<Runnable>of(() -> issuer.stubRateLimited(1), issuer::stubServerError,
                () -> issuer.stubSlowToken(Duration.ofSeconds(1), 60), issuer::stubConnectionReset,
                () -> issuer.stubError(401, "invalid_client", "bad client", "c-4"))) {
            stub.run();
            run(cc, this::expectFailure);
        }

        assertThat(issuedTokens).hasSizeGreaterThan(5);
        secrets.addAll(issuedTokens);
        assertThat(output).isNotEmpty();
        assertThat(String.join("\n", output)).contains("OAM101", "OAM104", "OAM105", "OAM110", "OAM111", "OAM112");
        // the capture really sees FINEST records of the adapter and of MSAL4J (so the scan below can fail)
        Logger.getLogger(TokenRefresher.class.getName()).finest("capture-probe");
        assertThat(output).anyMatch(l -> l.contains("capture-probe"));
        assertThat(output).anyMatch(l -> l.startsWith("com.microsoft.aad.msal4j"));
        for (String line : output) {
            for (String secret : secrets) {
                assertThat(line).as("log/exception/toString output").doesNotContain(secret);
            }
        }
    }

    interface Scenario {
        void run(TokenRefresher r) throws Exception;
    }

    private void run(Map<String, String> keys, Scenario scenario) throws Exception {
        issuer.resetRequests();
        ConnectorSettings s = TokenFixtures.settings(keys);
        List<TokenSource> sources = TokenSources.create(s);
        try (TokenRefresher r = new TokenRefresher(s, sources, TokenFixtures.fastTiming())) {
            r.addListener(e -> output.add("event " + e + " / " + (e.error() == null ? "" : describe(e.error()))));
            scenario.run(r);
            output.add(s.toString());
            output.add(r.toString());
            output.add(String.valueOf(r.status()));
            sources.forEach(x -> output.add(x.toString()));
            try {
                output.add(r.token(MAILBOX).toString());
            } catch (TokenException e) {
                output.add(describe(e));
            }
        }
        collectIssuedSecrets();
    }

    private void expectFailure(TokenRefresher r) {
        try {
            r.token(MAILBOX);
            throw new AssertionError("expected a TokenException");
        } catch (TokenException e) {
            output.add(describe(e));
        }
    }

    private boolean failed(TokenRefresher r) {
        try {
            r.token(MAILBOX);
            return false;
        } catch (TokenException e) {
            output.add(describe(e));
            return true;
        }
    }

    /** Message, toString and the full stack trace with causes. */
    private static String describe(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return e.getMessage() + " / " + e + " / " + w;
    }

    private void collectIssuedSecrets() {
        List<String> tokens = issuer.issuedTokens();
        issuedTokens.addAll(tokens);
        issuer.wireMock().getAllServeEvents().forEach(e -> {
            if (e.getResponse() != null && e.getResponse().getBodyAsString() != null) {
                Matcher m = REFRESH.matcher(e.getResponse().getBodyAsString());
                while (m.find()) {
                    secrets.add(m.group(1));
                }
            }
        });
    }
}
