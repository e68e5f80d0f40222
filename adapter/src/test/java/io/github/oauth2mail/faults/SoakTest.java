package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue #8, scenario 16: a compressed soak. Tokens live seconds instead of an hour; the SMTP server refuses expired
 * tokens (each token carries its expiry), records nothing but a bit per message number, and the test sends from
 * several threads until both the message count and the number of token refreshes are reached. Zero failed sends,
 * zero duplicates, zero lost messages, no AUTH with an expired token; heap after GC and thread count flat.
 * The full soak is tagged {@code soak} (excluded by default; run with {@code -Dgroups=soak}).
 */
class SoakTest extends FaultTestSupport {

    static final Pattern NUMBER = Pattern.compile("Subject: soak-(\\d+)\\r\\n");

    @Test
    void miniSoak_3sTokens1000SendsOver5Lifetimes_zeroFailuresZeroDuplicatesFlatResources() throws Exception {
        Result r = soak(3, 1_000, 10, 4, Duration.ofMinutes(3));
        assertThat(r.tokenRequests).isGreaterThanOrEqualTo(10);
    }

    @Test
    @Tag("soak")
    void soak_20sTokens10000SendsOver30Refreshes_zeroFailuresZeroDuplicatesFlatResources() throws Exception {
        Result r = soak(20, 10_000, 31, 8, Duration.ofMinutes(30));
        assertThat(r.tokenRequests).isGreaterThanOrEqualTo(31);
        assertThat(r.sent).isGreaterThanOrEqualTo(10_000);
    }

    record Result(int sent, int tokenRequests) {
    }

    private Result soak(long lifetimeSeconds, int minSends, int minTokenRequests, int threads, Duration limit)
            throws Exception {
        BitSet seen = new BitSet();
        AtomicInteger received = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger expiredAuth = new AtomicInteger();
        server = ScriptedSmtpServer.startTls(CERTS.serverContext()).acceptTokens(token -> {
            Instant exp = TestTokenIssuer.expiryOf(token);
            boolean ok = exp != null && Instant.now().isBefore(exp);
            if (!ok) {
                expiredAuth.incrementAndGet();
            }
            return ok;
        }).countOnly(body -> {
            Matcher m = NUMBER.matcher(body);
            if (m.find()) {
                int n = Integer.parseInt(m.group(1));
                synchronized (seen) {
                    if (seen.get(n)) {
                        duplicates.incrementAndGet();
                    }
                    seen.set(n);
                }
            }
            received.incrementAndGet();
        });
        issuer.stubExpiringTokens(lifetimeSeconds);
        Session session = session(factory(keys("soak").set("max-connections-per-mailbox", "3")));
        Transport.send(message(session, ALICE, "soak-0"));

        long heapBefore = heapAfterGc();
        int threadsBefore = threads().size();
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger(1);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    int n = next.getAndIncrement();
                    try {
                        Transport.send(message(session, ALICE, "soak-" + n));
                    } catch (MessagingException | RuntimeException e) {
                        failures.add("soak-" + n + ": " + e);
                    }
                }
            }));
        }
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(500)).until(() -> !failures.isEmpty()
                    || next.get() > minSends && issuer.tokenRequests() >= minTokenRequests);
        } finally {
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int sent = next.get() - 1; // soak-1 .. soak-(next-1), plus the warm-up soak-0
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> threads().size() <= threadsBefore + 2);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("soak: threads did not settle: " + threads());
        }
        long heapAfter = heapAfterGc();
        int threadsAfter = threads().size();
        int tokenRequests = issuer.tokenRequests();

        String summary = String.format("soak: %d s tokens, %d threads, %d sends in %d s (%.0f/s), %d token requests,"
                        + " %d received, %d duplicates, %d failures, %d expired-token AUTHs, heap after GC %d -> %d KiB,"
                        + " threads %d -> %d", lifetimeSeconds, threads, sent + 1, took.toSeconds(),
                sent / Math.max(1.0, took.toMillis() / 1000.0), tokenRequests, received.get(), duplicates.get(),
                failures.size(), expiredAuth.get(), heapBefore / 1024, heapAfter / 1024, threadsBefore, threadsAfter);
        System.out.println(summary);
        assertThat(failures).as(summary).isEmpty();
        assertThat(duplicates.get()).as(summary).isZero();
        assertThat(received.get()).as("every send arrived exactly once; " + summary).isEqualTo(sent + 1);
        assertThat(seen.cardinality()).isEqualTo(sent + 1);
        assertThat(expiredAuth.get()).as("AUTH attempts with an expired token").isZero();
        assertThat(heapAfter - heapBefore).as("heap growth after GC, bytes; " + summary)
                .isLessThan(32L * 1024 * 1024);
        assertThat(threadsAfter).as(summary + "; " + threads()).isLessThanOrEqualTo(threadsBefore + 2);
        assertThat(fetchWorkers()).as("token-fetch workers (a pool of 8)").isLessThanOrEqualTo(8);
        return new Result(sent, tokenRequests);
    }

    /**
     * Live threads, without the test SMTP server's one-per-connection threads (the pool holds up to 3 connections
     * at the end and fewer at the start: that is the server's side, not a leak), the JDK's {@code process reaper}
     * threads (another test class in this JVM ran keytool; they end when idle) and the refresher's token-fetch workers
     * ({@code oauth2mail-token-<resource>-<n>}: a pool of at most {@code RefresherThreads.FETCH_THREADS} that end when
     * idle, but with 3 s tokens a refresh starts one every 1.5 s; {@link #fetchWorkers} bounds them).
     */
    static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> !n.equals("scripted-smtp-conn") && !n.equals("process reaper") && !isFetchWorker(n))
                .sorted().toList();
    }

    /** The refresher's token-fetch workers alive now (its timer, {@code ...-timer-<n>}, is counted in threads()). */
    static long fetchWorkers() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(SoakTest::isFetchWorker).count();
    }

    private static boolean isFetchWorker(String name) {
        return name.matches("oauth2mail-token-.*-[0-9]+") && !name.matches("oauth2mail-token-.*-timer-[0-9]+");
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            WeakReference<Object> probe = new WeakReference<>(new Object());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                System.gc();
                return probe.get() == null;
            });
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
