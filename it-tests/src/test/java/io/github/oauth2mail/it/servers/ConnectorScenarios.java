package io.github.oauth2mail.it.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The connector scenarios, run on every server (Payara {@code ConnectorSendIT}, WildFly, Liberty): the unchanged sample
 * WAR sends and reads back with XOAUTH2 through the connector's pooled Session; one token for the first send and the IMAP read; a revoked
 * token is replaced once for parallel sends; 6 s tokens over four lifetimes; no secret or token in the server's log
 * with the connector at FINEST and the protocol trace on. One server for all, in order (the issuer's counts carry over).
 * With {@link #viaGraph()} the same scenarios run with {@code send-via=graph}: messages leave through the Graph
 * emulator (which delivers them into GreenMail), the inbox is still read over IMAP/POP3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ConnectorScenarios {

    /** The connector ignores a second "token rejected" within this long of the last one (OAM108, TokenRefresher). */
    private static final Duration INVALIDATE_INTERVAL = Duration.ofSeconds(5);

    private ServerFixture fixture;
    private SampleAppClient app;
    private volatile long lastRevocationNanos;

    /** Starts the server under test with this environment. */
    protected abstract ServerFixture.Launcher launcher();

    /** True: the connector sends through Microsoft Graph (the emulator) instead of SMTP ({@link ServerFixture}). */
    protected boolean viaGraph() {
        return false;
    }

    /** Environment variables this server needs on top of the common ones ({@code null} removes one). */
    protected Map<String, String> serverEnv() {
        return Map.of();
    }

    @BeforeAll
    void start() throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> env = new LinkedHashMap<>(serverEnv());
        env.put("OAUTH2MAIL_DEMO_MAIL_DEBUG", "true");
        fixture = ServerFixture.start(getClass().getSimpleName(), launcher(), env, 3600, viaGraph());
        System.out.printf("%s ready in %d ms (process start to started line; %d ms with GreenMail and issuer)%n",
                fixture.server().description(), fixture.server().startupMillis(), (System.nanoTime() - t0) / 1_000_000);
        app = fixture.app();
    }

    @AfterAll
    void stop() {
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
        assertThat(fixture.submissions()).as("how the message left the connector (SMTP AUTH or Graph)")
                .containsExactly(fixture.expectedSubmission(ConnectorFixture.MAILBOX));
        // Exchange allows 3 concurrent SMTP sessions per mailbox: one send takes one (issue 18 item 5, Liberty); none
        // in Graph mode
        assertThat(fixture.mail().smtpConnections()).as("SMTP connections the first send opened")
                .isEqualTo(viaGraph() ? 0 : 1);
        assertThat(fixture.issuer().requestCount()).isEqualTo(1);
        assertThat(fixture.issuer().scopes()).containsExactly(fixture.scope());
    }

    @Test
    @Order(2)
    void inbox_unchangedApp_readsOverImapAndPop3WithTheCurrentToken() {
        Reply sent = app.send(ConnectorFixture.MAILBOX, "note to self", "read me back over IMAPS");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);

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
        lastRevocationNanos = System.nanoTime();

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
        assertThat(fixture.submissions()).containsOnly(fixture.expectedSubmission(ConnectorFixture.MAILBOX));
    }

    @Test
    @Order(4)
    void send_tokenLifetimeFewSeconds_allDeliveredWithAboutOneTokenPerHalfLifetime() {
        // 6 s: a token is served while 10% of its life remains; on a loaded 2-core machine a login can take longer than
        // the 0.3 s that 3 s tokens would leave
        long lifetime = 6;
        fixture.issuer().lifetimeSeconds(lifetime);
        // a second revocation right after the previous test's would be refused by the connector's rate limit on
        // invalidations (it protects the identity provider); real revocations are not seconds apart
        await().atMost(INVALIDATE_INTERVAL.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> System.nanoTime() - lastRevocationNanos > INVALIDATE_INTERVAL.plusSeconds(1).toNanos());
        fixture.issuer().revoke();
        int issuedBefore = fixture.issuer().issuedCount();
        List<String> subjects = new ArrayList<>();
        long start = System.nanoTime();

        // one and a half lifetimes: the token is replaced before it runs out at least once, while sends and inbox
        // reads go on
        long span = lifetime * 3 / 2;
        await().atMost(Duration.ofSeconds(span + 60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String subject = "lifetime " + subjects.size();
                    Reply sent = app.send("someone@example.org", subject, "spread over several token lifetimes");
                    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
                    subjects.add(subject);
                    Reply inbox = app.inbox();
                    assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
                    return Duration.ofNanos(System.nanoTime() - start).toSeconds() >= span;
                });

        for (String subject : subjects) {
            assertThat(receivedWithSubject(subject)).as(subject).hasSize(1);
        }
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        int issued = fixture.issuer().issuedCount() - issuedBefore;
        System.out.println(fixture.server().description() + ": " + subjects.size() + " sends and inbox reads over "
                + elapsed + " s used " + issued + " tokens of " + lifetime + " s");
        // at least one token per lifetime begun (the one after the revocation cannot serve past its lifetime), at most
        // about one per half lifetime plus the one after the revocation
        assertThat(issued).isBetween((int) (elapsed / lifetime) + 1, (int) (2 * elapsed / lifetime) + 2);
        assertThat(issued).isLessThan(subjects.size() * 2);
        assertThat(fixture.submissions()).containsOnly(fixture.expectedSubmission(ConnectorFixture.MAILBOX));
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
            secrets.put("XOAUTH2 response with token #" + (i + 1), xoauth2(ConnectorFixture.MAILBOX, tokens.get(i)));
        }
        // the log really has the connector's send trace (OAM200 or OAM600, FINE), else this test would prove nothing
        assertThat(fixture.server().log()).as("connector log lines in " + fixture.server().logLocation())
                .contains("OAM303").contains(fixture.sendTraceId());

        Logs.assertNoSecret(fixture.server(), secrets);
    }

    private static String xoauth2(String user, String token) {
        String sasl = "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001";
        return Base64.getEncoder().encodeToString(sasl.getBytes(StandardCharsets.UTF_8));
    }

    private List<MimeMessage> receivedWithSubject(String subject) {
        return fixture.mail().received().stream().filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
