package io.github.oauth2mail.ops;

import static io.github.oauth2mail.ops.OpsTesting.A;
import static io.github.oauth2mail.ops.OpsTesting.RCPT;
import static io.github.oauth2mail.ops.OpsTesting.SECRET;
import static io.github.oauth2mail.ops.OpsTesting.TOKEN1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.testing.GraphEmulator;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diagnostic command for a resource with {@code send-via=graph}, run in-process against the local token issuer
 * and the Graph emulator (no SMTP server exists: the command must not need one).
 */
class GraphDiagnoseTest {

    static final String NAME = "gdiag";
    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

    static TestTokenIssuer issuer;
    static final List<String> OUTPUTS = new ArrayList<>();
    GraphEmulator graph;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "graph-diagnose"));
    }

    @AfterAll
    static void stop() {
        issuer.close();
        assertThat(String.join("\n", OUTPUTS)).as("diagnostic output").doesNotContain(SECRET).doesNotContain(TOKEN1);
    }

    @BeforeEach
    void setUp() {
        issuer.stubToken(TOKEN1, 3600);
        graph = GraphEmulator.start(issuer.certificates(), TOKEN1::equals);
    }

    @AfterEach
    void tearDown() {
        graph.close();
    }

    /** A generic OAuth2 resource in Graph mode; port 1 for SMTP: nothing listens there. */
    Map<String, String> settings() {
        Map<String, String> m = OpsTesting.settings(NAME, issuer, 1, "implicit");
        String p = "oauth2mail." + NAME + ".";
        m.put(p + "send-via", "graph");
        m.put(p + "graph-endpoint", graph.endpoint());
        m.put(p + "scope", GRAPH_SCOPE);
        return m;
    }

    Path config(Map<String, String> settings) throws IOException {
        Properties p = new Properties();
        p.putAll(settings);
        Path f = dir.resolve(NAME + ".properties");
        try (OutputStream out = Files.newOutputStream(f)) {
            p.store(out, null);
        }
        return f;
    }

    record Run(int exit, String out) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit = Diagnose.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        OUTPUTS.add(out);
        System.out.print(out);
        return new Run(exit, out);
    }

    @Test
    void run_graphMode_checksScopeAndEndpointAndSendsTheTestMessageThroughGraph() throws Exception {
        Run r = run(NAME, "--config", config(settings()).toString(), "--send-to", RCPT);

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("[ OK ] configuration: provider oauth2")
                .contains("mailbox " + A + ", send via Microsoft Graph " + graph.endpoint())
                .contains("[ OK ] access token: obtained with credential client-secret")
                .contains("[ OK ] token scope: " + GRAPH_SCOPE)
                .contains("[ OK ] Microsoft Graph endpoint " + graph.endpoint()
                        + ": reachable over HTTPS, server certificate trusted and names 127.0.0.1")
                .contains("[ OK ] test message to " + RCPT + " through Microsoft Graph: accepted by Microsoft Graph")
                .contains("OAM421 RESULT: OK")
                .doesNotContain("TCP connect").doesNotContain("AUTH XOAUTH2").doesNotContain("[FAIL]");
        assertThat(graph.requests()).endsWith("POST /v1.0/users/" + A + "/sendMail");
        assertThat(graph.delivered()).hasSize(1);
        GraphEmulator.Delivered d = graph.delivered().get(0);
        assertThat(d.mailbox()).isEqualTo(A);
        assertThat(d.recipients()).containsExactly(RCPT);
        assertThat(d.message().getSubject()).isEqualTo("OAuth2 mail connector diagnostic test (" + NAME + ")");
    }

    @Test
    void run_graphModeWithoutSentItemsCopy_saysSoAndTheTestMessageIsNotSaved() throws Exception {
        Map<String, String> m = settings();
        m.put("oauth2mail." + NAME + ".graph-save-to-sent-items", "false");
        Run r = run(NAME, "--config", config(m).toString(), "--send-to", RCPT);

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("send via Microsoft Graph " + graph.endpoint() + " (JSON form, no Sent Items copy)")
                .contains("OAM421 RESULT: OK");
        assertThat(graph.delivered()).singleElement().satisfies(d -> {
            assertThat(d.recipients()).containsExactly(RCPT);
            assertThat(d.savedToSentItems()).isFalse();
        });
    }

    @Test
    void run_graphModeWithoutSendTo_sendsNothingAndSaysWhatOnlyTheSendChecks() throws Exception {
        Run r = run(NAME, "--config", config(settings()).toString());

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("[ OK ] Microsoft Graph endpoint " + graph.endpoint())
                .contains("[SKIP] Microsoft Graph sendMail: give --send-to")
                .contains("Mail.Send permission for mailbox " + A);
        assertThat(graph.delivered()).isEmpty();
        assertThat(graph.requests()).noneMatch(x -> x.startsWith("POST"));
    }

    @Test
    void run_graphDeniesAccess_exit1WithOam603GraphsReplyAndTheMailSendAdvice() throws Exception {
        graph.enqueue(403, "ErrorAccessDenied", null);

        Run r = run(NAME, "--config", config(settings()).toString(), "--send-to", RCPT);

        assertThat(r.exit()).as(r.out()).isEqualTo(Diagnose.FAILED);
        assertThat(r.out()).contains("[FAIL] test message to " + RCPT + " through Microsoft Graph")
                .contains("Code: OAM603 (HTTP 403 ErrorAccessDenied)")
                .contains("Fix: grant the app registration ops-client the Microsoft Graph application permission "
                        + "Mail.Send with admin consent")
                .contains("OAM422 RESULT: FAILED (test message to " + RCPT + " through Microsoft Graph)");
        assertThat(graph.delivered()).isEmpty();
    }

    @Test
    void run_graphEndpointNotListening_exit1WithOam607AdviceAndNoSendAttempt() throws Exception {
        Map<String, String> s = settings();
        s.put("oauth2mail." + NAME + ".graph-endpoint", "https://127.0.0.1:" + OpsTesting.freePort());

        Run r = run(NAME, "--config", config(s).toString(), "--send-to", RCPT);

        assertThat(r.exit()).as(r.out()).isEqualTo(Diagnose.FAILED);
        assertThat(r.out()).contains("[FAIL] Microsoft Graph endpoint https://127.0.0.1:")
                .contains("Code: ConnectException")
                .contains("Fix: Microsoft Graph cannot be reached: check oauth2mail." + NAME + ".graph-endpoint")
                .contains("[SKIP] test message to " + RCPT + " through Microsoft Graph: needs a reachable");
    }

    @Test
    void run_graphCertificateNotTrusted_exit1NamesTheEndpointAndTheTrustStore() throws Exception {
        graph.close();
        graph = GraphEmulator.start(TestCertificates.in(dir.resolve("other-ca")), TOKEN1::equals);

        Run r = run(NAME, "--config", config(settings()).toString(), "--send-to", RCPT);

        assertThat(r.exit()).as(r.out()).isEqualTo(Diagnose.FAILED);
        assertThat(r.out()).contains("[FAIL] Microsoft Graph endpoint " + graph.endpoint()
                + ": not reachable over HTTPS").contains("SSLHandshakeException")
                .contains("oauth2mail." + NAME + ".trust-store-path");
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void run_entraScopeOfExchangeInGraphMode_failsTheScopeStepWithOam602() throws Exception {
        issuer.stubToken(3600);
        Map<String, String> m = new java.util.HashMap<>(issuer.entraClientSecretKeys(NAME));
        String p = "oauth2mail." + NAME + ".";
        m.put(p + "mailbox", A);
        m.put(p + "send-via", "graph");
        m.put(p + "graph-endpoint", graph.endpoint());
        m.put(p + "scope", "https://outlook.office365.com/.default");

        Run r = run(NAME, "--config", config(m).toString());

        assertThat(r.exit()).as(r.out()).isEqualTo(Diagnose.FAILED);
        assertThat(r.out()).contains("[FAIL] token scope: https://outlook.office365.com/.default is not Microsoft "
                        + "Graph's (https://graph.microsoft.com/.default)")
                .contains("Code: OAM602")
                .contains("Fix: Microsoft Graph did not accept a fresh token either: check that " + p + "scope");
    }
}
