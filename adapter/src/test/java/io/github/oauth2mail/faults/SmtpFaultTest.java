package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.transport.SmtpSendException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** Issue #8, scenarios 7, 8, 9 and 12: the mail server fails, stalls, throttles or cannot be trusted. */
class SmtpFaultTest extends FaultTestSupport {

    static final TestCertificates LOCALHOST_ONLY = TestCertificates.in(Path.of("target", "test-certs", "localhost-only"),
            "localhost");

    @Test
    void connectionDropped_afterDataBeforeReply_deliveryUnknownAndNotResent() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("dropdata")));
        Transport.send(message(session, ALICE, "first"));
        server.dropOn(".");

        SendFailedException e = catchThrowableOfType(SendFailedException.class,
                () -> Transport.send(message(session, ALICE, "unknown fate")));
        assertThat(e).isInstanceOf(SmtpSendException.class);
        assertThat(((SmtpSendException) e).deliveryUnknown()).isTrue();
        assertThat(((SmtpSendException) e).safeToRetry()).isFalse();
        assertThat(e.getMessage()).contains("delivery unknown", "not resent");
        assertThat(count("DATA")).as("exactly one DATA for the dropped message").isEqualTo(2);
        assertThat(server.messages()).hasSize(2);
        assertThat(server.messages().get(1)).contains("Subject: unknown fate");

        server.dropOn(null);
        Transport.send(message(session, ALICE, "next"));
        assertThat(count("DATA")).isEqualTo(3);
        assertThat(server.messages()).hasSize(3);
        assertThat(issuer.tokenRequests()).isEqualTo(1);
    }

    @Test
    void serverSlow_repliesPastReadTimeout_boundedWaitConnectionDiscardedNoStuckThread() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("slow").set("read-timeout-ms", "1000")));
        Transport.send(message(session, ALICE, "warm"));

        server.hangOn("MAIL"); // the pooled connection stalls mid-transaction
        long start = System.nanoTime();
        MessagingException pooled = catchThrowableOfType(MessagingException.class,
                () -> Transport.send(message(session, ALICE, "stalls on MAIL")));
        Duration tookPooled = Duration.ofNanos(System.nanoTime() - start);
        assertThat(pooled.getMessage()).contains("failed before the message was sent");
        assertThat(tookPooled).as("two bounded attempts (pooled, then one fresh), not a hang")
                .isLessThan(Duration.ofSeconds(30));

        server.hangOn("EHLO"); // a new connection stalls in the greeting phase
        MessagingException fresh = catchThrowableOfType(MessagingException.class,
                () -> Transport.send(message(session, ALICE, "stalls on EHLO")));
        assertThat(fresh.getMessage()).contains("127.0.0.1:" + server.port());

        server.hangOn(null);
        int before = server.connectionCount();
        Transport.send(message(session, ALICE, "healthy again"));
        assertThat(server.connectionCount()).as("the stalled connections were discarded").isGreaterThan(before);
        assertThat(server.messages()).hasSize(2);
        assertThat(server.messages().get(1)).contains("Subject: healthy again");
        assertThat(stuckAdapterThreads()).isEmpty();
    }

    /** Threads other than this one that are inside adapter code (the refresher's idle threads are not). */
    static List<String> stuckAdapterThreads() {
        List<String> stuck = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey() == Thread.currentThread()) {
                continue;
            }
            for (StackTraceElement f : e.getValue()) {
                String c = f.getClassName();
                if (c.startsWith("io.github.oauth2mail.") && !c.startsWith("io.github.oauth2mail.testing.")
                        && !c.startsWith("io.github.oauth2mail.faults.")) {
                    stuck.add(e.getKey().getName() + " at " + f);
                    break;
                }
            }
        }
        return stuck;
    }

    @Test
    void serverThrottles_432OnMailFrom_temporaryErrorPoolWithinCapNothingLost() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        // retries off (send-deadline-ms=0): what reaches the app when a refusal does not clear (SendRetryTest and
        // ClusterThrottleTest cover the retries)
        Session session = session(factory(keys("throttle").set("max-connections-per-mailbox", "2")
                .set("send-deadline-ms", "0")));
        server.reply("MAIL", "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded");

        List<Throwable> errors = sendConcurrently(session, 6, 5, "throttled");
        assertThat(errors).hasSize(30).allSatisfy(t -> {
            assertThat(t).isInstanceOf(SmtpSendException.class).hasMessageContaining("432 4.3.2")
                    .hasMessageContaining("(temporary)");
            assertThat(((SmtpSendException) t).temporary()).isTrue();
            assertThat(((SmtpSendException) t).deliveryUnknown()).isFalse();
        });
        assertThat(server.maxConcurrentConnections()).as("max-connections-per-mailbox").isLessThanOrEqualTo(2);
        assertThat(count("DATA")).isZero();

        server.reply("MAIL", null);
        assertThat(sendConcurrently(session, 6, 5, "resent")).isEmpty();
        assertThat(server.messages()).hasSize(30);
        assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(2);
    }

    @Test
    void serverClosing_421OnMailFrom_temporaryErrorPoolWithinCapNothingLost() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("closing").set("max-connections-per-mailbox", "2")
                .set("send-deadline-ms", "0")));
        server.reply("MAIL", "421 4.3.2 Service not available, closing transmission channel");

        List<Throwable> errors = sendConcurrently(session, 6, 3, "closing");
        assertThat(errors).hasSize(18).allSatisfy(t -> {
            assertThat(t).isInstanceOf(SendFailedException.class).hasMessageContaining("421");
            assertThat(((SmtpSendException) t).temporary()).isTrue();
        });
        assertThat(server.maxConcurrentConnections()).as("max-connections-per-mailbox").isLessThanOrEqualTo(2);
        assertThat(count("MAIL")).as("at most one retry (on a fresh connection) per send").isLessThanOrEqualTo(36);
        assertThat(count("DATA")).isZero();

        server.reply("MAIL", null);
        assertThat(sendConcurrently(session, 6, 3, "resent")).isEmpty();
        assertThat(server.messages()).hasSize(18);
        assertThat(issuer.tokenRequests()).isEqualTo(1);
    }

    /** {@code threads} threads send {@code each} messages; returns every exception the callers got. */
    static List<Throwable> sendConcurrently(Session session, int threads, int each, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Throwable>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Callable<List<Throwable>> task = () -> {
                List<Throwable> errs = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    try {
                        Transport.send(message(session, ALICE, prefix + "-t" + thread + "-m" + i));
                    } catch (MessagingException e) {
                        errs.add(e);
                    }
                }
                return errs;
            };
            results.add(pool.submit(task));
        }
        List<Throwable> all = new ArrayList<>();
        for (Future<List<Throwable>> f : results) {
            all.addAll(f.get(180, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return all;
    }

    @Test
    void startTlsNotOffered_sendThroughSession_clearErrorAndNoAuthInClear() throws Exception {
        server = ScriptedSmtpServer.plain().acceptTokens(T1);
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("notls")));
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> Transport.send(message(session, ALICE, "never in clear")));
        assertThat(e.getMessage()).contains("does not offer STARTTLS", "oauth2mail.notls.smtp.tls");
        assertThat(server.receivedVerb("EHLO")).isTrue();
        assertThat(server.receivedVerb("AUTH")).isFalse();
        assertThat(server.received()).noneMatch(l -> l.contains(T1) || l.contains("dXNlcj")); // base64 of "user="
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void certificateForWrongHost_sendThroughSession_tlsErrorAndNoAuth() throws Exception {
        server = ScriptedSmtpServer.startTls(LOCALHOST_ONLY.serverContext()).acceptTokens(T1);
        issuer.stubToken(T1, 3600);
        Path trust = TestCertificates.combinedTrustStore(Path.of("target", "test-certs", "faults-trust.p12"),
                CERTS, LOCALHOST_ONLY);
        ConnectorKeys keys = keys("wronghost").set("trust-store-path", trust.toString());
        Session session = session(factory(keys));
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> Transport.send(message(session, ALICE, "wrong host")));
        assertThat(e.getMessage()).contains("OAM205", "127.0.0.1");
        assertThat(rootCauses(e)).anyMatch(t -> t instanceof SSLException);
        assertThat(server.receivedVerb("STARTTLS")).isTrue();
        assertThat(server.receivedVerb("AUTH")).isFalse();
        assertThat(server.messages()).isEmpty();
    }

    static List<Throwable> rootCauses(Throwable t) {
        List<Throwable> l = new ArrayList<>();
        for (Throwable c = t; c != null && !l.contains(c); c = c.getCause()) {
            l.add(c);
        }
        return l;
    }
}
