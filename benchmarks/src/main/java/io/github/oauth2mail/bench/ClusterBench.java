package io.github.oauth2mail.bench;

import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.jca.OAuth2MailResourceAdapter;
import io.github.oauth2mail.testing.MailboxLimitSmtpServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue #14's benchmark row: one mailbox, a server that allows 3 sessions per mailbox (432 4.3.2 beyond) and spends
 * {@code messageMs} on each message; one node alone, then three nodes (each a resource adapter with two connection
 * factories of one ConfigName, as servers create them), 4 sending threads per node, application code that never
 * retries. Prints msg/s, the cluster-to-single ratio, p50/p99 send latency, failures, duplicates and 432s.
 *
 * <p>{@code java ... ClusterBench [seconds=20] [warmup=5] [messageMs=20] [out=target/bench]}. Bounded: every sending
 * thread stops at the end of its window; the run waits for them at most a minute longer.
 */
public final class ClusterBench {

    private static final String FROM = "bench@example.com";

    record Result(int nodes, long sends, double seconds, long p50, long p99, int failures, long duplicates,
                  int throttled, int mailFroms, int overLimit, int maxSessions) {
        double rate() {
            return sends / seconds;
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (String s : argv) {
            int eq = s.indexOf('=');
            if (eq > 0) {
                a.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
        long messageMs = Long.parseLong(a.getOrDefault("messageMs", "20"));
        Path certs = Path.of(a.getOrDefault("out", "target/bench")).toAbsolutePath().resolve("certs");
        Certs.make(certs);
        boolean payara = Boolean.parseBoolean(a.getOrDefault("payara", "false"));
        Path dist = Path.of(a.getOrDefault("dist", "target/dist")).toAbsolutePath();
        Path config = Path.of(a.getOrDefault("payaraConfig", "../server-config/payara")).toAbsolutePath();
        Path work = Path.of(a.getOrDefault("out", "target/bench")).toAbsolutePath().resolve("cluster-payara");
        Result one = payara ? payara(1, seconds, warmup, messageMs, certs, dist, config, work)
                : run(1, seconds, warmup, messageMs, certs);
        Result three = payara ? payara(3, seconds, warmup, messageMs, certs, dist, config, work)
                : run(3, seconds, warmup, messageMs, certs);
        System.out.println();
        System.out.println("| nodes | msg/s | vs one node | p50 ms | p99 ms | app-visible failures | duplicates "
                + "| 432s / MAIL FROMs | most sessions at once |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Result r : List.of(one, three)) {
            System.out.printf("| %d | %.0f | %.2f× | %d | %d | %d | %d | %d / %d | %d |%n", r.nodes(), r.rate(),
                    r.rate() / one.rate(), r.p50(), r.p99(), r.failures(), r.duplicates(), r.throttled(), r.mailFroms(),
                    r.maxSessions());
        }
        System.exit(0);
    }

    static Result run(int nodes, int seconds, int warmup, long messageMs, Path certs) throws Exception {
        List<OAuth2MailResourceAdapter> adapters = new ArrayList<>();
        List<OAuth2MailManagedConnectionFactory> factories = new ArrayList<>();
        try (TokenIssuer issuer = new TokenIssuer(certs.resolve("server.p12"), 3600);
             MailboxLimitSmtpServer server = new MailboxLimitSmtpServer(Certs.serverContext(certs.resolve(
                     "server.p12")), 3, t -> t.startsWith("at-"), messageMs)) {
            Senders.Target target = new Senders.Target(server.port(), true, issuer.endpoint(), 3);
            Map<String, String> keys = Senders.adapterSettings(target, "cluster", Map.of(
                    "trust-store-path", certs.resolve("trust.p12").toString(), "trust-store-password", Certs.PASSWORD));
            List<Session> sessions = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                OAuth2MailResourceAdapter ra = new OAuth2MailResourceAdapter();
                ra.start(null);
                adapters.add(ra);
                for (int f = 0; f < 2; f++) {
                    OAuth2MailManagedConnectionFactory mcf = new OAuth2MailManagedConnectionFactory("cluster",
                            SettingsSource.of(keys));
                    mcf.setResourceAdapter(ra);
                    factories.add(mcf);
                    sessions.add((Session) mcf.createConnectionFactory());
                }
            }
            int threads = nodes * 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            AtomicInteger failures = new AtomicInteger();
            List<Future<long[]>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Session session = sessions.get((t / 4) * 2 + t % 2);
                work.add(pool.submit(() -> {
                    start.await();
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try {
                            Transport.send(message(session));
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom && n < lat.length) {
                            lat[n++] = t1 - t0;
                        }
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<long[]> f : work) {
                for (long l : f.get(seconds + warmup + 60L, TimeUnit.SECONDS)) {
                    all.add(l);
                }
            }
            pool.shutdown();
            all.sort(null);
            long p50 = all.isEmpty() ? -1 : all.get(all.size() / 2) / 1_000_000;
            long p99 = all.isEmpty() ? -1 : all.get((int) Math.min(all.size() - 1, all.size() * 99L / 100)) / 1_000_000;
            Result r = new Result(nodes, all.size(), seconds, p50, p99, failures.get(), server.duplicates(),
                    server.throttledCount(), server.mailFromCount(), server.mailFromsOverLimit(), server.maxSessions());
            System.out.println("cluster run: " + r);
            return r;
        } finally {
            factories.forEach(OAuth2MailManagedConnectionFactory::close);
            adapters.forEach(OAuth2MailResourceAdapter::stop);
        }
    }

    /**
     * The same shape with real Payara Micro processes ({@code payara=true}): each node is a Payara Micro started with
     * the checked-in post-boot file (pool of 3, connector, the benchmark WAR), sending from 4 threads inside Payara.
     */
    static Result payara(int nodes, int seconds, int warmup, long messageMs, Path certs, Path dist, Path config,
                         Path work) throws Exception {
        List<PayaraBench> servers = new ArrayList<>();
        try (TokenIssuer issuer = new TokenIssuer(certs.resolve("server.p12"), 3600);
             MailboxLimitSmtpServer server = new MailboxLimitSmtpServer(Certs.serverContext(certs.resolve(
                     "server.p12")), 3, t -> t.startsWith("at-"), messageMs)) {
            for (int n = 0; n < nodes; n++) {
                servers.add(PayaraBench.start(dist, config, work.resolve(nodes + "-node" + n), certs, server.port(),
                        issuer.endpoint(), 3, false, 240));
            }
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            List<Future<Measure.Result>> runs = new ArrayList<>();
            for (PayaraBench p : servers) {
                runs.add(pool.submit(() -> ServerPath.at(p.url()).measure(4, warmup, 1, seconds,
                        ProcessHandle.current().pid())));
            }
            List<Measure.Result> results = new ArrayList<>();
            for (Future<Measure.Result> f : runs) {
                results.add(f.get(seconds + warmup + 180L, TimeUnit.SECONDS));
            }
            pool.shutdown();
            Measure.Result all = Measure.Result.merge(results);
            long[] lat = all.latencies;
            long sends = lat.length;
            long p50 = sends == 0 ? -1 : lat[(int) (sends / 2)] / 1_000_000;
            long p99 = sends == 0 ? -1 : lat[(int) Math.min(sends - 1, sends * 99 / 100)] / 1_000_000;
            Result r = new Result(nodes, sends, seconds, p50, p99, (int) all.errors, server.duplicates(),
                    server.throttledCount(), server.mailFromCount(), server.mailFromsOverLimit(), server.maxSessions());
            System.out.println("cluster run (Payara Micro): " + r + (all.firstError == null ? ""
                    : " first error: " + all.firstError));
            return r;
        } finally {
            for (PayaraBench p : servers) {
                p.close();
            }
        }
    }

    private static MimeMessage message(Session session) throws Exception {
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(FROM));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.org"));
        msg.setSubject("cluster");
        msg.setText("x".repeat(2000));
        return msg;
    }
}
