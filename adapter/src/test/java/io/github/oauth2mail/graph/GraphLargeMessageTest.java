package io.github.oauth2mail.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.GraphEmulator;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages over Graph's 4 MB request limit with {@code graph-draft-route=true}: a draft without the large attachments,
 * an upload session per attachment (chunks of at most 4 MB to the pre-authenticated URL), then send; against the
 * Graph emulator, which checks the upload protocol as Microsoft documents it and assembles what it delivers.
 */
class GraphLargeMessageTest {

    static final String NAME = "graphlarge";
    static final String MAILBOX = "sender@example.com";
    static final String TO = "to@example.org";
    static final int MB = 1024 * 1024;

    static TestTokenIssuer issuer;
    GraphEmulator graph;
    OAuth2MailManagedConnectionFactory mcf;

    @BeforeAll
    static void startIssuer() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "graphlarge"));
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void setUp() {
        issuer.stubToken(3600);
        issuer.resetRequests();
        graph = GraphEmulator.start(issuer.certificates(), t -> issuer.issuedTokens().contains(t));
    }

    @AfterEach
    void tearDown() {
        if (mcf != null) {
            mcf.close();
        }
        graph.close();
    }

    Session session(Map<String, String> overrides) throws Exception {
        Map<String, String> m = new HashMap<>(issuer.entraClientSecretKeys(NAME));
        String p = "oauth2mail." + NAME + ".";
        m.put(p + "mailbox", MAILBOX);
        m.put(p + "send-via", "graph");
        m.put(p + "graph-endpoint", graph.endpoint());
        m.put(p + "graph-draft-route", "true");
        m.put(p + "connect-timeout-ms", "5000");
        m.put(p + "read-timeout-ms", "20000");
        overrides.forEach((k, v) -> m.put(p + k, v));
        mcf = new OAuth2MailManagedConnectionFactory(NAME, SettingsSource.of(m));
        return (Session) mcf.createConnectionFactory();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static MimeMessage withAttachment(Session s, String subject, byte[] file) throws MessagingException {
        MimeMessage msg = new MimeMessage(s);
        msg.setFrom(new InternetAddress(MAILBOX));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(TO));
        msg.setSubject(subject);
        MimeBodyPart text = new MimeBodyPart();
        text.setText("The report is attached.\r\n", "UTF-8");
        MimeBodyPart att = new MimeBodyPart();
        att.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(file, "application/zip")));
        att.setFileName("report.zip");
        att.setDisposition(Part.ATTACHMENT);
        msg.setContent(new MimeMultipart(text, att));
        return msg;
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    static byte[] sha256(Part p) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = p.getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return d.digest();
    }

    /** Every leaf part of {@code p}. */
    static List<Part> leaves(Part p) throws Exception {
        List<Part> out = new ArrayList<>();
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                out.addAll(leaves(mp.getBodyPart(i)));
            }
        } else {
            out.add(p);
        }
        return out;
    }

    @Test
    void send_twentyMegabyteAttachment_uploadedInChunksAndArrivesByteIdentical() throws Exception {
        byte[] file = random(20 * MB, 20);
        try (LogCapture logs = new LogCapture()) {
            Session s = session(Map.of("mail-debug", "true"));
            Transport.send(withAttachment(s, "Quarterly report", file));

            List<String> r = graph.requests();
            assertThat(r.get(0)).isEqualTo("POST /v1.0/users/" + MAILBOX + "/messages");
            assertThat(r.get(1)).endsWith("/attachments/createUploadSession");
            assertThat(r.subList(2, 7)).allSatisfy(x -> assertThat(x).startsWith("PUT /upload/"));
            assertThat(r.get(7)).endsWith("/send");
            assertThat(r).hasSize(8);
            assertThat(logs.all()).contains("OAM600", "Content-Range: bytes 16777216-20971519/20971520")
                    .doesNotContain("authtoken=");
        }
        GraphEmulator.Delivered d = graph.delivered().get(0);
        assertThat(d.recipients()).containsExactly(TO);
        assertThat(d.message().getSubject()).isEqualTo("Quarterly report");
        List<Part> parts = leaves(d.message());
        Part zip = parts.stream().filter(p -> isNamed(p, "report.zip")).findFirst().orElseThrow();
        assertThat(zip.isMimeType("application/zip")).isTrue();
        assertThat(sha256(zip)).isEqualTo(sha256(file));
        assertThat(parts.stream().filter(p -> text(p) != null).map(GraphLargeMessageTest::text))
                .containsExactly("The report is attached.\r\n");
        assertThat(graph.openDrafts()).isZero();
    }

    @Test
    void send_largeInlineImage_keepsItsContentIdAndBytes() throws Exception {
        Session s = session(Map.of());
        byte[] image = random(4 * MB, 4);
        MimeMessage msg = new MimeMessage(s);
        msg.setFrom(new InternetAddress(MAILBOX));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(TO));
        msg.setSubject("logo");
        MimeBodyPart html = new MimeBodyPart();
        html.setText("<p><img src=\"cid:logo@example.com\"></p>", "UTF-8", "html");
        MimeBodyPart img = new MimeBodyPart();
        img.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(image, "image/png")));
        img.setContentID("<logo@example.com>");
        img.setDisposition(Part.INLINE);
        img.setFileName("logo.png");
        msg.setContent(new MimeMultipart("related", html, img));

        Transport.send(msg);

        Part logo = leaves(graph.delivered().get(0).message()).stream().filter(p -> isNamed(p, "logo.png"))
                .findFirst().orElseThrow();
        assertThat(((MimeBodyPart) logo).getContentID()).isEqualTo("<logo@example.com>");
        assertThat(logo.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(sha256(logo)).isEqualTo(sha256(image));
    }

    @Test
    void send_chunkRefused_typedFailureDraftDeletedAndNothingSent() throws Exception {
        Session s = session(Map.of());
        graph.failUpload(2, 400);

        try (LogCapture logs = new LogCapture()) {
            assertThatThrownBy(() -> Transport.send(withAttachment(s, "fails", random(10 * MB, 10)))).satisfies(e -> {
                assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_UPLOAD_FAILED);
                assertThat(e.getMessage()).contains("OAM611").doesNotContain("authtoken");
            });
            assertThat(logs.all()).contains("OAM613");
        }
        assertThat(graph.delivered()).isEmpty();
        assertThat(graph.deletedDrafts()).hasSize(1);
        assertThat(graph.openDrafts()).isZero();
        assertThat(graph.requests()).noneMatch(r -> r.endsWith("/send"));
        assertThat(graph.requests().get(graph.requests().size() - 1)).startsWith("DELETE /v1.0/users/" + MAILBOX
                + "/messages/");
    }

    @Test
    void send_largeMessageSendAnswerLost_deliveryUnknownDeliveredOnceDraftNotDeleted() throws Exception {
        Session s = session(Map.of("read-timeout-ms", "1500"));
        graph.loseNextSendAnswer();

        assertThatThrownBy(() -> Transport.send(withAttachment(s, "lost answer", random(4 * MB, 3)))).satisfies(e ->
                assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_DELIVERY_UNKNOWN));
        assertThat(graph.delivered()).hasSize(1);
        assertThat(graph.requests().stream().filter(r -> r.endsWith("/send"))).hasSize(1);
        assertThat(graph.requests()).noneMatch(r -> r.startsWith("DELETE"));
    }

    @Test
    void send_overLimitWithoutDraftRoute_refusedNamingTheSwitchAndNothingSent() throws Exception {
        Session s = session(Map.of("graph-draft-route", "false"));

        assertThatThrownBy(() -> Transport.send(withAttachment(s, "too big", random(5 * MB, 5)))).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_MESSAGE_TOO_LARGE);
            assertThat(e.getMessage()).contains("oauth2mail." + NAME + ".graph-draft-route=true", "Mail.ReadWrite");
        });
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void send_429StormOverEightParallelLargeSends_allDeliveredOnceWithinDeadline() throws Exception {
        Session s = session(Map.of("send-deadline-ms", "60000", "pool-wait-ms", "60000"));
        for (int i = 0; i < 12; i++) {
            graph.enqueue(429, "ApplicationThrottled", "1");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> sends = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                MimeMessage msg = withAttachment(s, "storm " + i, random(5 * MB, i));
                sends.add(pool.submit(() -> {
                    Transport.send(msg);
                    return "sent";
                }));
            }
            for (Future<String> f : sends) {
                assertThat(f.get()).isEqualTo("sent");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(graph.statuses().stream().filter(x -> x == 429)).hasSize(12);
        Set<String> subjects = new HashSet<>();
        for (GraphEmulator.Delivered d : graph.delivered()) {
            subjects.add(d.message().getSubject());
            Part zip = leaves(d.message()).stream().filter(p -> isNamed(p, "report.zip")).findFirst().orElseThrow();
            int i = Integer.parseInt(d.message().getSubject().substring("storm ".length()));
            assertThat(sha256(zip)).isEqualTo(sha256(random(5 * MB, i)));
        }
        assertThat(graph.delivered()).hasSize(8);
        assertThat(subjects).hasSize(8);
        assertThat(graph.openDrafts()).isZero();
    }

    @Test
    void emulator_uploadSession_refusesWhatMicrosoftDoesNotDocument() throws Exception {
        Session s = session(Map.of());
        Transport.send(withAttachment(s, "get a token", random(10, 1)));
        String token = issuer.issuedTokens().get(0);
        HttpClient c = HttpClient.newBuilder().sslContext(issuer.certificates().clientContext()).build();
        String base = graph.endpoint() + "/v1.0/users/" + MAILBOX + "/messages";
        String mime = Base64.getEncoder().encodeToString("Subject: x\r\nTo: to@example.org\r\n\r\nx\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> draft = c.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer "
                + token).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(mime)).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = draft.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        URI create = URI.create(base + "/" + id + "/attachments/createUploadSession");
        java.util.function.Function<String, Integer> createWith = json -> status(c, HttpRequest.newBuilder(create)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(createWith.apply("{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"a\",\"size\":1000}}"))
                .as("under 3 MB").isEqualTo(400);
        assertThat(createWith.apply("{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"a\",\"size\":4194304,"
                + "\"contentBytes\":\"AA==\"}}")).as("unknown property").isEqualTo(400);
        HttpResponse<String> session = c.send(HttpRequest.newBuilder(create).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"a\",\"size\":" + (5 * MB) + "}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).isEqualTo(201);
        assertThat(session.body()).contains("\"nextExpectedRanges\":[\"0-\"]");
        URI upload = URI.create(session.body().replaceAll(".*\"uploadUrl\":\"([^\"]+)\".*", "$1").replace("\\/", "/"));
        byte[] chunk = new byte[MB];
        assertThat(status(c, put(upload, chunk, "bytes 0-1048575/" + (5 * MB)).header("Authorization", "Bearer "
                + token).build())).as("bearer token sent to the upload URL").isEqualTo(400);
        assertThat(status(c, put(upload, chunk, "bytes 1-1048576/" + (5 * MB)).build())).as("gap").isEqualTo(400);
        assertThat(status(c, put(upload, chunk, "bytes 0-1048575/" + (6 * MB)).build())).as("size").isEqualTo(400);
        assertThat(status(c, put(upload, new byte[4 * MB + 1], "bytes 0-4194304/" + (5 * MB)).build()))
                .as("over 4 MB").isEqualTo(400);
        assertThat(status(c, put(upload, chunk, "bytes 0-1048575/" + (5 * MB)).build())).isEqualTo(200);
        assertThat(status(c, put(upload, chunk, "bytes 0-1048575/" + (5 * MB)).build())).as("again").isEqualTo(400);
        assertThat(status(c, put(URI.create(upload.toString().replaceAll("authtoken=.*", "authtoken=x")), chunk,
                "bytes 1048576-2097151/" + (5 * MB)).build())).as("wrong URL token").isEqualTo(401);
    }

    private static HttpRequest.Builder put(URI uri, byte[] body, String range) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/octet-stream")
                .header("Content-Range", range).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static int status(HttpClient c, HttpRequest r) {
        try {
            return c.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isNamed(Part p, String name) {
        try {
            return name.equals(p.getFileName());
        } catch (MessagingException e) {
            return false;
        }
    }

    /** The text of a text/plain part, else null. */
    private static String text(Part p) {
        try {
            return p.isMimeType("text/plain") ? (String) p.getContent() : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
