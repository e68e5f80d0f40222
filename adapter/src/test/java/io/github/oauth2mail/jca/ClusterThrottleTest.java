package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.MailboxLimitSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #14: three nodes (three resource adapters, each with two connection factories of one ConfigName, as servers
 * create them) send as one mailbox through a server that allows 3 sessions per mailbox and answers
 * {@code 432 4.3.2} beyond. The application code never retries (plain {@code Transport.send}); every message must
 * arrive exactly once and no send may fail.
 */
class ClusterThrottleTest {

    static final String ALICE = "alice@example.com";
    static final String TOKEN = "tok1-CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
    static final int NODES = 3;
    static final int THREADS_PER_NODE = 4;
    static final int SENDS_PER_THREAD = 50;
    static final TestCertificates CERTS = GreenMailTls.certificates();

    final List<OAuth2MailResourceAdapter> adapters = new ArrayList<>();
    final List<OAuth2MailManagedConnectionFactory> factories = new ArrayList<>();
    TestTokenIssuer issuer;
    MailboxLimitSmtpServer server;

    @AfterEach
    void tearDown() throws Exception {
        factories.forEach(OAuth2MailManagedConnectionFactory::close);
        adapters.forEach(OAuth2MailResourceAdapter::stop);
        if (server != null) {
            server.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void send_threeNodesTwoFactoriesEach_serverAllowsThreeSessions_noFailureNoDuplicateNothingLost() throws Exception {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
        issuer.stubToken(TOKEN, 3600);
        server = new MailboxLimitSmtpServer(CERTS.serverContext(), 3, TOKEN::equals);
        List<Session> sessions = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            OAuth2MailResourceAdapter ra = new OAuth2MailResourceAdapter();
            ra.start(null);
            adapters.add(ra);
            for (int f = 0; f < 2; f++) {
                OAuth2MailManagedConnectionFactory factory =
                        ConnectorKeys.of("cluster", issuer, ALICE, server.port(), "starttls").factory();
                factory.setResourceAdapter(ra);
                factories.add(factory);
                sessions.add((Session) factory.createConnectionFactory());
            }
        }

        ExecutorService pool = Executors.newFixedThreadPool(NODES * THREADS_PER_NODE);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        List<Throwable> firstFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Future<?>> work = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            for (int t = 0; t < THREADS_PER_NODE; t++) {
                Session session = sessions.get(n * 2 + t % 2); // both factories of the node in use
                String who = "n" + n + "t" + t;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < SENDS_PER_THREAD; i++) {
                        try {
                            Transport.send(message(session, who + "-" + i));
                        } catch (Exception e) { // the app never retries: a failure here is a lost mail
                            failures.incrementAndGet();
                            if (firstFailures.size() < 3) {
                                firstFailures.add(e);
                            }
                        }
                    }
                    return null;
                }));
            }
        }
        start.countDown();
        for (Future<?> f : work) {
            f.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();

        int total = NODES * THREADS_PER_NODE * SENDS_PER_THREAD;
        System.out.printf("cluster: %d sends, %d delivered, %d duplicates, %d MAIL FROM, %d answered 432, "
                        + "%d MAIL FROM while over the limit, most sessions at once %d%n", total, server.delivered(),
                server.duplicates(), server.mailFromCount(), server.throttledCount(), server.mailFromsOverLimit(),
                server.maxSessions());
        assertThat(firstFailures).as("application-visible failures").isEmpty();
        assertThat(failures.get()).isZero();
        assertThat(server.duplicates()).as("messages accepted twice").isZero();
        assertThat(server.deliveries()).as("every message delivered exactly once").hasSize(total);
        assertThat(server.delivered()).isEqualTo(total);
        for (OAuth2MailManagedConnectionFactory f : factories) {
            assertThat(f.runtime().mailboxLimits().get(ALICE)).as("each node's own limit").isBetween(1, 3);
        }
    }

    static MimeMessage message(Session session, String subject) throws Exception {
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(ALICE));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.org"));
        msg.setSubject(subject);
        msg.setText("body of " + subject);
        return msg;
    }
}
