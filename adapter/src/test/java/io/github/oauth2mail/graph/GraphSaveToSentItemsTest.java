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
import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code graph-save-to-sent-items}: {@code false} sends every message in Graph's JSON form with {@code
 * "saveToSentItems": false} (checked by the emulator, which records whether a copy was saved), mapped faithfully or
 * refused with {@code OAM614}; the default keeps today's MIME form and its Sent Items copy.
 */
class GraphSaveToSentItemsTest {

    static final String NAME = "graph";
    static final String MAILBOX = "sender@example.com";
    static final String TO = "to@example.org";
    static final String BCC = "hidden@example.org";
    static final String EXTRA = "envelope-only@example.org";
    static final String NO_COPY = "graph-save-to-sent-items";

    static TestTokenIssuer issuer;
    GraphEmulator graph;
    OAuth2MailManagedConnectionFactory mcf;

    @BeforeAll
    static void startIssuer() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "graph-json"));
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
        m.put(p + "connect-timeout-ms", "5000");
        m.put(p + "read-timeout-ms", "10000");
        overrides.forEach((k, v) -> m.put(p + k, v));
        mcf = new OAuth2MailManagedConnectionFactory(NAME, SettingsSource.of(m));
        return (Session) mcf.createConnectionFactory();
    }

    static MimeMessage message(Session s, String subject) throws Exception {
        MimeMessage msg = new MimeMessage(s);
        msg.setFrom(new InternetAddress(MAILBOX, "Billing Dépt", "UTF-8"));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(TO, "Tö Person", "UTF-8"));
        msg.setReplyTo(new Address[] {new InternetAddress("replies@example.com")});
        msg.setSubject(subject, "UTF-8");
        msg.setHeader("X-Order", "42");
        msg.setText("Hello through Graph, ünïcödé.\r\n", "UTF-8");
        return msg;
    }

    @Test
    void send_saveToSentItemsFalse_deliveredInJsonFormAndNotSaved() throws Exception {
        Session s = session(Map.of(NO_COPY, "false"));
        MimeMessage msg = message(s, "Invoice 42 – paid");
        msg.setHeader("X-Priority", "1 (Highest)");
        Transport.send(msg);

        assertThat(graph.requests()).containsExactly("POST /v1.0/users/" + MAILBOX + "/sendMail");
        assertThat(graph.jsonSendMailBodies()).singleElement().asString().contains("\"saveToSentItems\":false");
        GraphEmulator.Delivered d = graph.delivered().get(0);
        assertThat(d.savedToSentItems()).isFalse();
        assertThat(d.recipients()).containsExactly(TO);
        MimeMessage got = d.message();
        assertThat(got.getSubject()).isEqualTo("Invoice 42 – paid");
        assertThat(((InternetAddress) got.getFrom()[0]).getPersonal()).isEqualTo("Billing Dépt");
        assertThat(((InternetAddress) got.getFrom()[0]).getAddress()).isEqualTo(MAILBOX);
        assertThat(((InternetAddress) got.getRecipients(Message.RecipientType.TO)[0]).getPersonal()).isEqualTo("Tö Person");
        assertThat(((InternetAddress) got.getReplyTo()[0]).getAddress()).isEqualTo("replies@example.com");
        assertThat(got.getHeader("X-Order", null)).isEqualTo("42");
        assertThat(got.getHeader("Importance", null)).isEqualTo("high");
        assertThat((String) got.getContent()).isEqualTo("Hello through Graph, ünïcödé.\r\n");
        assertThat(got.isMimeType("text/plain")).isTrue();
    }

    @Test
    void send_default_mimeFormAndSavedToSentItems() throws Exception {
        Session s = session(Map.of());
        Transport.send(message(s, "default"));

        assertThat(graph.jsonSendMailBodies()).isEmpty();
        assertThat(graph.delivered()).singleElement().satisfies(d -> assertThat(d.savedToSentItems()).isTrue());
    }

    @Test
    void send_bccAndEnvelopeOnlyRecipients_jsonFormDeliversWithoutAnyDraft() throws Exception {
        Session s = session(Map.of(NO_COPY, "false"));
        MimeMessage msg = message(s, "with bcc");
        msg.setRecipient(Message.RecipientType.BCC, new InternetAddress(BCC));
        msg.saveChanges();
        Transport.send(msg, new Address[] {new InternetAddress(TO), new InternetAddress(BCC),
                new InternetAddress(EXTRA)});

        assertThat(graph.requests()).containsExactly("POST /v1.0/users/" + MAILBOX + "/sendMail");
        GraphEmulator.Delivered d = graph.delivered().get(0);
        assertThat(d.recipients()).containsExactlyInAnyOrder(TO, BCC, EXTRA);
        assertThat(d.savedToSentItems()).isFalse();
        String visible = new String(d.mime(), StandardCharsets.ISO_8859_1);
        assertThat(visible).doesNotContain(BCC).doesNotContain(EXTRA);
        assertThat(d.message().getHeader("Bcc")).isNull();
    }

    @Test
    void send_htmlWithInlineImageAndAttachment_arrivesWithTheSameBodyAndBytes() throws Exception {
        Session s = session(Map.of(NO_COPY, "false"));
        byte[] png = new byte[40_000];
        byte[] pdf = new byte[300_000];
        new Random(7).nextBytes(png);
        new Random(8).nextBytes(pdf);
        String html = "<html><body><p>Grüße – see <img src=\"cid:logo@example.com\"></p></body></html>";

        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setText(html, "UTF-8", "html");
        MimeBodyPart logo = new MimeBodyPart();
        logo.setDataHandler(new DataHandler(new ByteArrayDataSource(png, "image/png")));
        logo.setContentID("<logo@example.com>");
        logo.setDisposition(Part.INLINE);
        logo.setFileName("logo.png");
        MimeBodyPart related = new MimeBodyPart();
        related.setContent(new MimeMultipart("related", htmlPart, logo));
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Grüße – see the logo", "UTF-8");
        MimeBodyPart alternative = new MimeBodyPart();
        alternative.setContent(new MimeMultipart("alternative", plain, related));
        MimeBodyPart report = new MimeBodyPart();
        report.setDataHandler(new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
        report.setFileName("Bericht März.pdf");
        MimeMessage msg = message(s, "html");
        msg.setContent(new MimeMultipart("mixed", alternative, report));
        msg.saveChanges();

        Transport.send(msg);

        GraphEmulator.Delivered d = graph.delivered().get(0);
        assertThat(d.savedToSentItems()).isFalse();
        List<Part> leaves = new ArrayList<>();
        leaves(d.message(), leaves);
        Part gotHtml = leaves.stream().filter(p -> is(p, "text/html")).findFirst().orElseThrow();
        assertThat((String) gotHtml.getContent()).isEqualTo(html);
        Part gotLogo = leaves.stream().filter(p -> is(p, "image/png")).findFirst().orElseThrow();
        assertThat(gotLogo.getInputStream().readAllBytes()).isEqualTo(png);
        assertThat(((MimeBodyPart) gotLogo).getContentID()).isEqualTo("<logo@example.com>");
        assertThat(gotLogo.getDisposition()).isEqualTo(Part.INLINE);
        Part gotPdf = leaves.stream().filter(p -> is(p, "application/pdf")).findFirst().orElseThrow();
        assertThat(gotPdf.getInputStream().readAllBytes()).isEqualTo(pdf);
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(gotPdf.getFileName())).isEqualTo("Bericht März.pdf");
        assertThat(gotPdf.getDisposition()).isEqualTo(Part.ATTACHMENT);
    }

    @Test
    void send_headerTheJsonFormCannotCarry_typedFailureNamingTheSettingAndNothingSent() throws Exception {
        Session s = session(Map.of(NO_COPY, "false"));
        MimeMessage msg = message(s, "list mail");
        msg.setHeader("List-Unsubscribe", "<mailto:unsubscribe@example.com>");

        assertThatThrownBy(() -> Transport.send(msg)).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_JSON_UNMAPPABLE);
            assertThat(e.getMessage()).contains("OAM614", "oauth2mail.graph.graph-save-to-sent-items",
                    "List-Unsubscribe");
        });
        assertThat(graph.requests()).isEmpty();
        assertThat(graph.delivered()).isEmpty();
    }

    @Test
    void send_unmappableContent_typedFailureAndNothingSent() throws Exception {
        Session s = session(Map.of(NO_COPY, "false"));
        MimeBodyPart text = new MimeBodyPart();
        text.setText("invite");
        MimeBodyPart calendar = new MimeBodyPart();
        calendar.setContent("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST");
        MimeMessage invite = message(s, "invite");
        invite.setContent(new MimeMultipart("alternative", text, calendar));
        invite.saveChanges();
        MimeMessage big = message(s, "big");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("see attachment");
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new DataHandler(new ByteArrayDataSource(new byte[3_500_000], "application/octet-stream")));
        file.setFileName("big.bin");
        big.setContent(new MimeMultipart(body, file));
        big.saveChanges();
        MimeMessage headers = message(s, "headers");
        for (int i = 1; i <= 5; i++) {
            headers.addHeader("X-Tag-" + i, "v" + i);
        }

        assertThatThrownBy(() -> Transport.send(invite)).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_JSON_UNMAPPABLE);
            assertThat(e.getMessage()).contains("text/calendar");
        });
        assertThatThrownBy(() -> Transport.send(big)).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_JSON_UNMAPPABLE);
            assertThat(e.getMessage()).contains("4194304");
        });
        assertThatThrownBy(() -> Transport.send(headers)).satisfies(e -> {
            assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.GRAPH_JSON_UNMAPPABLE);
            assertThat(e.getMessage()).contains("6 X- headers");
        });
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void send_jsonFormWithMailDebug_tracesWithoutTokenOrMessageBody() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Session s = session(Map.of(NO_COPY, "false", "mail-debug", "true"));
            MimeMessage msg = message(s, "traced");
            MimeBodyPart body = new MimeBodyPart();
            body.setText("The secret body text of the message");
            MimeBodyPart file = new MimeBodyPart();
            byte[] bytes = new byte[3000];
            new Random(9).nextBytes(bytes);
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, "application/octet-stream")));
            file.setFileName("data.bin");
            msg.setContent(new MimeMultipart(body, file));
            msg.saveChanges();
            Transport.send(msg);

            String all = logs.all();
            assertThat(all).contains("OAM600", "POST " + graph.endpoint() + "/v1.0/users/" + MAILBOX + "/sendMail",
                    "Content-Type: application/json", "Bearer <redacted>", "characters redacted");
            assertThat(issuer.issuedTokens()).isNotEmpty().allSatisfy(t -> assertThat(all).doesNotContain(t));
            assertThat(all).doesNotContain("The secret body text").doesNotContain("saveToSentItems")
                    .doesNotContain(Base64.getEncoder().encodeToString(bytes).substring(0, 40));
        }
    }

    @Test
    void emulator_refusesUndocumentedJsonForms() throws Exception {
        Session s = session(Map.of(NO_COPY, "false"));
        Transport.send(message(s, "get a token"));
        String token = issuer.issuedTokens().get(0);
        HttpClient c = HttpClient.newBuilder().sslContext(issuer.certificates().clientContext()).build();
        URI sendMail = URI.create(graph.endpoint() + "/v1.0/users/" + MAILBOX + "/sendMail");
        String to = "\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + TO + "\"}}]";
        String body = "\"body\":{\"contentType\":\"text\",\"content\":\"hi\"}";
        Map<String, String> wrong = new java.util.LinkedHashMap<>();
        wrong.put("{\"message\":{" + to + "," + body + ",\"flag\":{}},\"saveToSentItems\":false}",
                "unknown message property");
        wrong.put("{\"message\":{" + to + "," + body + "},\"saveToSentItems\":\"false\"}",
                "saveToSentItems is not a Boolean");
        wrong.put("{\"message\":{" + to + "},\"saveToSentItems\":false,\"extra\":1}", "unknown top-level");
        wrong.put("{\"message\":{" + to + ",\"internetMessageHeaders\":[{\"name\":\"List-Id\",\"value\":\"x\"}]}}",
                "InvalidInternetMessageHeader");
        wrong.put("{\"message\":{" + body + "},\"saveToSentItems\":false}", "ErrorInvalidRecipients");
        wrong.put("{\"message\":{" + to + ",\"body\":{\"contentType\":\"rtf\",\"content\":\"x\"}}}",
                "itemBody contentType");
        wrong.put("{\"message\":{\"toRecipients\":\"" + TO + "\"}}", "not an array");
        wrong.put("{\"message\":{" + to + ",\"attachments\":[{\"@odata.type\":\"#microsoft.graph.fileAttachment\","
                + "\"name\":\"a.txt\"}]}}", "contentBytes missing");
        wrong.put("{\"message\":{" + to + ",\"body\":{\"contentType\":\"text\",\"content\":\""
                + "a".repeat(GraphEmulator.MAX_REQUEST) + "\"}}}", "over 4 MB");
        for (Map.Entry<String, String> w : wrong.entrySet()) {
            HttpRequest r = HttpRequest.newBuilder(sendMail).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(w.getKey()))
                    .build();
            HttpResponse<String> a = c.send(r, HttpResponse.BodyHandlers.ofString());
            assertThat(a.statusCode()).as(w.getValue()).isEqualTo(400);
            assertThat(a.body()).as(w.getValue()).contains(w.getValue());
        }
        assertThat(graph.delivered()).hasSize(1);
    }

    @Test
    void settings_saveToSentItems_defaultTrueAndOnlyBooleans() {
        Map<String, String> m = new HashMap<>(issuer.entraClientSecretKeys("g3"));
        m.put("oauth2mail.g3.mailbox", MAILBOX);
        m.put("oauth2mail.g3.send-via", "graph");
        assertThat(ConnectorSettings.load("g3", SettingsSource.of(m), Map.of()).graphSaveToSentItems()).isTrue();
        m.put("oauth2mail.g3." + NO_COPY, "no");
        assertThatThrownBy(() -> ConnectorSettings.load("g3", SettingsSource.of(m), Map.of()))
                .hasMessageContaining("oauth2mail.g3." + NO_COPY);
    }

    private static boolean is(Part p, String type) {
        try {
            return p.isMimeType(type);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void leaves(Part p, List<Part> out) throws Exception {
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart b = mp.getBodyPart(i);
                leaves(b, out);
            }
        } else {
            out.add(p);
        }
    }
}
