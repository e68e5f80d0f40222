package io.github.oauth2mail.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.GraphEmulator;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code send-via=graph} end to end: the connection factory as a server drives it, Entra tokens from the local issuer
 * (MSAL4J), and the Graph emulator, which takes only documented requests and tokens issued for the Graph scope.
 */
class GraphSendTest {

    static final String NAME = "graph";
    static final String MAILBOX = "sender@example.com";
    static final String TO = "to@example.org";
    static final String BCC = "hidden@example.org";
    static final String SECRET = "test-secret";

    static TestTokenIssuer issuer;
    GraphEmulator graph;
    OAuth2MailManagedConnectionFactory mcf;

    @BeforeAll
    static void startIssuer() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "graph"));
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void setUp() {
        issuer.stubToken(3600);
        issuer.resetRequests();
        graph = GraphEmulator.start(issuer.certificates(), GraphSendTest::issuedForGraph);
    }

    @AfterEach
    void tearDown() {
        if (mcf != null) {
            mcf.close();
        }
        graph.close();
    }

    /** A token the issuer handed out, every token request of which asked for the Graph scope (the audience). */
    static boolean issuedForGraph(String token) {
        boolean graphScope = issuer.requests().stream().map(r -> TestTokenIssuer.form(r.getBodyAsString()).get("scope"))
                .allMatch(s -> s != null && s.contains("https://graph.microsoft.com/.default")
                        && !s.contains("outlook.office365.com"));
        return graphScope && issuer.issuedTokens().contains(token);
    }

    Session session(Map<String, String> overrides) throws Exception {
        Map<String, String> m = new HashMap<>(issuer.entraClientSecretKeys(NAME));
        String p = "oauth2mail." + NAME + ".";
        m.put(p + "mailbox", MAILBOX);
        m.put(p + "send-via", "graph");
        m.put(p + "graph-endpoint", graph.endpoint());
        m.put(p + "connect-timeout-ms", "5000");
        m.put(p + "read-timeout-ms", "10000");
        overrides.forEach((k, v) -> m.put(p + k, v));
        mcf = new OAuth2MailManagedConnectionFactory(NAME, SettingsSource.of(m));
        return (Session) mcf.createConnectionFactory();
    }

    static MimeMessage message(Session s, String subject) throws MessagingException {
        MimeMessage msg = new MimeMessage(s);
        msg.setFrom(new InternetAddress(MAILBOX));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(TO));
        msg.setSubject(subject, "UTF-8");
        msg.setHeader("X-Order", "42");
        msg.setText("Hello through Graph, ünïcödé.\r\n", "UTF-8");
        return msg;
    }

    static byte[] mime(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out, new String[] {"Bcc", "Content-Length"});
        return out.toByteArray();
    }

    @Test
    void send_plainMessage_arrivesAsTheAppBuiltIt() throws Exception {
        Session s = session(Map.of());
        MimeMessage msg = message(s, "Invoice 42 – paid");
        Transport.send(msg);

        assertThat(graph.requests()).containsExactly("POST /v1.0/users/" + MAILBOX + "/sendMail");
        GraphEmulator.Delivered d = graph.delivered().get(0);
        assertThat(d.mailbox()).isEqualTo(MAILBOX);
        assertThat(d.recipients()).containsExactly(TO);
        assertThat(d.mime()).isEqualTo(mime(msg));
        assertThat(d.message().getSubject()).isEqualTo("Invoice 42 – paid");
        assertThat(d.message().getHeader("X-Order", null)).isEqualTo("42");
        assertThat(d.message().getMessageID()).isEqualTo(msg.getMessageID());
        assertThat((String) d.message().getContent()).isEqualTo("Hello through Graph, ünïcödé.\r\n");
        assertThat(issuer.tokenRequests()).isEqualTo(1);
    }

    @Test
    void send_bccRecipient_draftRoute_deliveredAndNotInHeaders() throws Exception {
        Session s = session(Map.of("graph-draft-route", "true"));
        MimeMessage msg = message(s, "with bcc");
        msg.setRecipient(Message.RecipientType.BCC, new InternetAddress(BCC));
        Transport.send(msg);

        assertThat(graph.requests()).hasSize(3);
        assertThat(graph.requests().get(0)).isEqualTo("POST /v1.0/users/" + MAILBOX + "/messages");
        assertThat(graph.requests().get(1)).startsWith("PATCH /v1.0/users/" + MAILBOX + "/messages/");
        assertThat(graph.requests().get(2)).endsWith("/send");
        GraphEmulator.Delivered d = graph.delivered().get(0);
        assertThat(d.recipients()).containsExactlyInAnyOrder(TO, BCC);
        assertThat(new String(d.mime(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(BCC);
        assertThat(d.message().getHeader("Bcc")).isNull();
    }

    @Test
    void send_bccRecipient_withoutDraftRoute_refusedTypedAndNothingSent() throws Exception {
        Session s = session(Map.of());
        MimeMessage msg = message(s, "with bcc");
        msg.setRecipient(Message.RecipientType.BCC, new InternetAddress(BCC));

        assertThatThrownBy(() -> Transport.send(msg)).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_RECIPIENTS_NEED_DRAFT);
            assertThat(e.getMessage()).contains("oauth2mail.graph.graph-draft-route", "Mail.ReadWrite");
        });
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void send_tokenRevoked_oneFreshTokenThenDelivered() throws Exception {
        Session s = session(Map.of());
        Transport.send(message(s, "first"));
        String first = issuer.issuedTokens().get(0);
        graph.revoke(first);

        Transport.send(message(s, "second"));

        assertThat(issuer.tokenRequests()).isEqualTo(2);
        assertThat(graph.statuses()).containsExactly(202, 401, 202);
        assertThat(graph.delivered()).hasSize(2);
    }

    @Test
    void send_accessDenied_typedFailureNamesPermissionConsentAndRbac() throws Exception {
        Session s = session(Map.of());
        graph.enqueue(403, "ErrorAccessDenied", null);

        assertThatThrownBy(() -> Transport.send(message(s, "denied"))).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_ACCESS_DENIED);
            assertThat(e.getMessage()).contains("ErrorAccessDenied", "Mail.Send", "admin consent",
                    "New-ManagementRoleAssignment", "Application Mail.Send");
        });
        assertThat(graph.requests()).hasSize(1);
        assertThat(graph.delivered()).isEmpty();
    }

    @Test
    void send_throttledWithRetryAfter_deliveredWithinDeadline() throws Exception {
        Session s = session(Map.of("send-deadline-ms", "20000"));
        graph.enqueue(429, "ApplicationThrottled", "1");

        Transport.send(message(s, "throttled"));

        assertThat(graph.statuses()).containsExactly(429, 202);
        assertThat(graph.delivered()).hasSize(1);
    }

    @Test
    void send_throttledBeyondDeadline_temporaryTypedFailureWithoutWaiting() throws Exception {
        Session s = session(Map.of("send-deadline-ms", "2000"));
        graph.enqueue(429, "ApplicationThrottled", "120");

        assertThatThrownBy(() -> Transport.send(message(s, "throttled"))).satisfies(e ->
                assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_THROTTLED));
        assertThat(graph.requests()).hasSize(1);
    }

    @Test
    void send_invalidRecipients_permanentAndSentOnce() throws Exception {
        Session s = session(Map.of());
        graph.enqueue(400, "ErrorInvalidRecipients", null);

        assertThatThrownBy(() -> Transport.send(message(s, "bad rcpt"))).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_MESSAGE_REJECTED);
            assertThat(e.getMessage()).contains("ErrorInvalidRecipients");
        });
        assertThat(graph.requests()).hasSize(1);
    }

    @Test
    void send_noAnswerAfterRequestSent_deliveryUnknownAndNotResent() throws Exception {
        Session s = session(Map.of("read-timeout-ms", "700", "connect-timeout-ms", "700"));
        graph.enqueueNoAnswer();

        assertThatThrownBy(() -> Transport.send(message(s, "lost answer"))).satisfies(e ->
                assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_DELIVERY_UNKNOWN));
        assertThat(graph.requests()).hasSize(1);
    }

    @Test
    void send_overFourMegabytes_refusedNamingTheLimitAndNothingSent() throws Exception {
        Session s = session(Map.of());
        MimeMessage msg = message(s, "large");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("see attachment");
        MimeBodyPart file = new MimeBodyPart();
        file.setContent(new byte[5 * 1024 * 1024], "application/octet-stream");
        file.setFileName("big.bin");
        msg.setContent(new MimeMultipart(text, file));
        msg.saveChanges();

        assertThatThrownBy(() -> Transport.send(msg)).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_MESSAGE_TOO_LARGE);
            assertThat(e.getMessage()).contains("4194304");
        });
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void send_withMailDebug_tracesRequestsWithoutTokenSecretOrBody() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Session s = session(Map.of("mail-debug", "true"));
            MimeMessage msg = message(s, "traced");
            Transport.send(msg);
            graph.revoke(issuer.issuedTokens().get(0));
            Transport.send(message(s, "traced again"));

            String all = logs.all();
            assertThat(all).contains("OAM600", "POST " + graph.endpoint() + "/v1.0/users/" + MAILBOX + "/sendMail",
                    "Bearer <redacted>", "OAM601");
            assertThat(issuer.issuedTokens()).hasSize(2).allSatisfy(t -> assertThat(all).doesNotContain(t));
            assertThat(all).doesNotContain(SECRET)
                    .doesNotContain(Base64.getEncoder().encodeToString(mime(msg)).substring(0, 40));
        }
    }

    @Test
    void settings_graphMode_defaultsToGraphScopeAndRequiresHttpsEndpoint() {
        Map<String, String> m = new HashMap<>(issuer.entraClientSecretKeys("g2"));
        m.put("oauth2mail.g2.mailbox", MAILBOX);
        m.put("oauth2mail.g2.send-via", "graph");
        ConnectorSettings ok = ConnectorSettings.load("g2", SettingsSource.of(m), Map.of());
        assertThat(ok.scopes()).containsExactly("https://graph.microsoft.com/.default");
        assertThat(ok.graphEndpoint()).isEqualTo(URI.create("https://graph.microsoft.com"));

        m.put("oauth2mail.g2.scope", "https://graph.microsoft.us/.default");
        m.put("oauth2mail.g2.graph-endpoint", "https://graph.microsoft.us/");
        ConnectorSettings own = ConnectorSettings.load("g2", SettingsSource.of(m), Map.of());
        assertThat(own.scopes()).containsExactly("https://graph.microsoft.us/.default");
        assertThat(own.graphEndpoint()).isEqualTo(URI.create("https://graph.microsoft.us"));

        m.put("oauth2mail.g2.graph-endpoint", "http://graph.example");
        m.put("oauth2mail.g2.send-via", "ews");
        assertThatThrownBy(() -> ConnectorSettings.load("g2", SettingsSource.of(m), Map.of()))
                .hasMessageContaining("oauth2mail.g2.graph-endpoint").hasMessageContaining("https")
                .hasMessageContaining("oauth2mail.g2.send-via");
    }

    @Test
    void emulator_refusesUndocumentedRequestShapes() throws Exception {
        Session s = session(Map.of());
        Transport.send(message(s, "get a token"));
        String token = issuer.issuedTokens().get(0);
        HttpClient c = HttpClient.newBuilder().sslContext(issuer.certificates().clientContext()).build();
        String mimeB64 = Base64.getEncoder().encodeToString(mime(message(s, "x")));
        URI sendMail = URI.create(graph.endpoint() + "/v1.0/users/" + MAILBOX + "/sendMail");
        List<HttpRequest> wrong = List.of(
                HttpRequest.newBuilder(sendMail).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(mimeB64)).build(),
                HttpRequest.newBuilder(sendMail).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(
                                mime(message(s, "raw, not base64")))).build(),
                HttpRequest.newBuilder(URI.create(graph.endpoint() + "/v1.0/me/sendMail")).header("Authorization",
                        "Bearer " + token).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(mimeB64)).build());
        for (HttpRequest r : wrong) {
            assertThat(c.send(r, HttpResponse.BodyHandlers.ofString()).statusCode()).as(r.toString()).isEqualTo(400);
        }
        HttpRequest noToken = HttpRequest.newBuilder(sendMail).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(mimeB64)).build();
        assertThat(c.send(noToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(graph.delivered()).hasSize(1);
    }

    @Test
    void send_fiveAtOnceForOneMailbox_atMostFourRequestsInFlight() throws Exception {
        Session s = session(Map.of("pool-wait-ms", "300"));
        Transport.send(message(s, "warm-up: token fetched"));
        CountDownLatch release = new CountDownLatch(1);
        graph.holdUntil(release);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            CompletionService<Object> done = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < 5; i++) {
                MimeMessage msg = message(s, "parallel " + i);
                done.submit(() -> {
                    Transport.send(msg);
                    return "sent";
                });
            }
            Future<Object> first = done.take(); // only a send that found no slot can end while the others are held
            assertThatThrownBy(first::get).satisfies(e ->
                    assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.POOL_WAIT_EXCEEDED));
            release.countDown();
            for (int i = 0; i < 4; i++) {
                assertThat(done.take().get()).isEqualTo("sent");
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(graph.maxInFlight()).isEqualTo(4);
        assertThat(graph.delivered()).hasSize(5);
    }
}
