package io.github.oauth2mail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.ServerLog;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The same sample WAR as
 * {@link SampleAppBasicAuthIT}, unchanged, now served by the connector through
 * {@code server-config/payara/post-boot-connector.asadmin}: every token comes from the local HTTPS issuer, and
 * GreenMail accepts a token only while the issuer deems it valid (issued, not expired, not revoked).
 * The tests share one Payara Micro and run in order, because the issuer's counters carry over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectorSendIT {

    private static ConnectorFixture fixture;
    private static SampleAppClient app;

    @BeforeAll
    static void start() throws Exception {
        fixture = ConnectorFixture.builder("connector-send")
                .env("OAUTH2MAIL_DEMO_MAIL_DEBUG", "true")
                .env("OAUTH2MAIL_LOG_LEVEL", "FINEST")
                .start();
        System.out.println("Payara Micro ready in " + fixture.payara().startupMillis() + " ms (connector)");
        app = fixture.app();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Order(1)
    void send_unchangedApp_deliversWithOneClientCredentialsTokenRequest() throws Exception {
        assertThat(fixture.issuer().requestCount()).as("no token before the first use").isZero();

        Reply reply = app.send("someone@example.org", "oauth hello", "sent with an access token");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        MimeMessage message = receivedWithSubject("oauth hello").get(0);
        assertThat(message.getRecipients(Message.RecipientType.TO))
                .containsExactly(new InternetAddress("someone@example.org"));
        assertThat(message.getFrom()).containsExactly(new InternetAddress(ConnectorFixture.MAILBOX));
        assertThat(reply.body().trim()).isEqualTo(message.getMessageID());
        assertThat(fixture.mail().smtpLogins()).as("how GreenMail saw the mail transaction authenticated")
                .containsExactly("XOAUTH2 " + ConnectorFixture.MAILBOX);
        assertThat(fixture.issuer().requestCount()).isEqualTo(1);
        assertThat(fixture.issuer().scopes()).containsExactly(ConnectorFixture.SCOPE);
    }

    @Test
    @Order(2)
    void inbox_unchangedApp_readsOverImapAndPop3WithTheCurrentToken() {
        Reply sent = app.send(ConnectorFixture.MAILBOX, "note to self", "read me back over IMAPS");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);

        // GreenMail's IMAP accepts no login but AUTHENTICATE XOAUTH2 with a token the issuer deems valid
        Reply inbox = app.inbox();

        assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
        assertThat(inbox.body().lines()).contains("note to self");

        // the same Session's POP3 store: AUTH XOAUTH2 (two-line form) through the server's own POP3 provider
        Reply pop3 = app.inbox("pop3s");

        assertThat(pop3.status()).as(pop3.body()).isEqualTo(200);
        assertThat(pop3.body().lines()).contains("note to self");
        assertThat(fixture.issuer().issuedCount()).as("the cached token serves later connections").isEqualTo(1);
    }

    @Test
    @Order(3)
    void send_tokenRevokedMidRun_fetchesANewTokenAndDelivers() {
        int issuedBefore = fixture.issuer().issuedCount();
        fixture.issuer().revoke();

        // more parallel sends than one pooled connection serves: new connections must log in with a new token
        List<CompletableFuture<Reply>> sends = IntStream.range(0, 3)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> app.send("someone@example.org",
                        "after revocation " + i, "still delivered")))
                .toList();
        Reply inbox = app.inbox();

        for (CompletableFuture<Reply> send : sends) {
            Reply reply = send.join();
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        }
        assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(receivedWithSubject("after revocation " + i)).hasSize(1);
        }
        assertThat(fixture.issuer().issuedCount() - issuedBefore)
                .as("one fresh token for all callers (single flight)").isEqualTo(1);
        assertThat(fixture.mail().smtpLogins()).containsOnly("XOAUTH2 " + ConnectorFixture.MAILBOX);
    }

    @Test
    @Order(4)
    void send_tokenLifetimeFewSeconds_allDeliveredWithAtMostAboutOneTokenPerHalfLifetime() {
        // 6 s: a token is served while 10% of its life remains; on a loaded 2-core machine a login can take longer than
        // the 0.3 s that 3 s tokens would leave
        long lifetime = 6;
        fixture.issuer().lifetimeSeconds(lifetime);
        fixture.issuer().revoke(); // drop the long-lived token: from here on tokens live 6 s
        // the connector may hold back a forced refresh for a few seconds after the previous one (the revocation test
        // just caused one), so wait, bounded, until it serves a new token again
        await("connector recovers from the second revocation").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).until(() -> app.inbox().ok());
        int issuedBefore = fixture.issuer().issuedCount();
        List<String> subjects = new ArrayList<>();
        long start = System.nanoTime();

        // traffic for four token lifetimes: a send and an inbox read (a fresh IMAP login) each poll
        await().atMost(Duration.ofSeconds(4 * lifetime + 20)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String subject = "lifetime " + subjects.size();
                    Reply sent = app.send("someone@example.org", subject, "spread over several token lifetimes");
                    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
                    subjects.add(subject);
                    Reply inbox = app.inbox();
                    assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
                    return Duration.ofNanos(System.nanoTime() - start).toSeconds() >= 4 * lifetime;
                });

        for (String subject : subjects) {
            assertThat(receivedWithSubject(subject)).as(subject).hasSize(1);
        }
        int issued = fixture.issuer().issuedCount() - issuedBefore;
        System.out.println(subjects.size() + " sends and inbox reads over " + 4 * lifetime + " s used " + issued
                + " tokens of " + lifetime + " s");
        // a new token at least every lifetime; at most about one per half lifetime (refresh ahead of expiry) plus
        // slack; fewer than one per operation (each round is a send and a fresh IMAP login)
        assertThat(issued).isBetween(3, 3 * 4);
        assertThat(issued).isLessThan(2 * subjects.size());
        assertThat(fixture.mail().smtpLogins()).containsOnly("XOAUTH2 " + ConnectorFixture.MAILBOX);
    }

    @Test
    @Order(5)
    void serverLog_withMailDebugAndFinestLogging_containsNoSecretAndNoToken() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("client secret", ConnectorFixture.CLIENT_SECRET);
        secrets.put("trust store password", ConnectorFixture.TRUST_STORE_PASSWORD);
        List<String> tokens = fixture.issuer().issuedTokens();
        assertThat(tokens).isNotEmpty();
        for (int i = 0; i < tokens.size(); i++) {
            secrets.put("access token #" + (i + 1), tokens.get(i));
            secrets.put("XOAUTH2 response with token #" + (i + 1),
                    xoauth2InitialResponse(ConnectorFixture.MAILBOX, tokens.get(i)));
        }

        ServerLog.assertNoSecret(fixture.payara(), secrets);
    }

    /** The base64 SASL XOAUTH2 initial response a protocol trace would show for this token. */
    static String xoauth2InitialResponse(String user, String token) {
        String sasl = "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001";
        return java.util.Base64.getEncoder().encodeToString(sasl.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<MimeMessage> receivedWithSubject(String subject) {
        return fixture.mail().received().stream().filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
