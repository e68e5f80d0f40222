package io.github.oauth2mail.bench;

import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue #16's benchmark row: the connector in Graph mode ({@code send-via=graph}) against the strict Graph emulator,
 * beside the same connector in SMTP mode against the benchmark's SMTP sink (STARTTLS), in one run, with the same
 * message (Workload's 2 KB text message), the same threads and the same application code ({@code Transport.send} on
 * the connector's Session from the connection factory). The emulator ({@link GraphBenchServer}) and the sink
 * ({@link SmtpSink}) run in their own JVMs, a fresh one per row, so this JVM's process CPU time is the adapter's alone
 * (the SMTP row's token endpoint is in this JVM: one token per run, cached, so nothing during the windows).
 *
 * <p>Per row: msg/s (median of the windows), p50/p99 send latency, and the CPU time per message of this JVM and of
 * the server JVM, measured over the windows by {@link Measure}. Before the rows, an unmeasured pre-warm of both modes
 * (4 threads) so the first row does not carry this JVM's JIT warm-up.
 *
 * <p>{@code java ... GraphBench [threads=1,4] [warmup=3] [windows=5] [window=2] [prewarm=5] [modes=smtp,graph]
 * [out=target/bench]} ({@code modes=graph}: only the Graph rows, e.g. under a profiler).
 */
public final class GraphBench {

    record Row(String mode, int threads, Measure.Result result, long delivered) {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String s : argv) {
            int eq = s.indexOf('=');
            if (eq > 0) {
                a.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        int[] threads = Arrays.stream(a.getOrDefault("threads", "1,4").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        double warmup = Double.parseDouble(a.getOrDefault("warmup", "3"));
        int windows = Integer.parseInt(a.getOrDefault("windows", "5"));
        double window = Double.parseDouble(a.getOrDefault("window", "2"));
        double prewarm = Double.parseDouble(a.getOrDefault("prewarm", "5"));
        List<String> modes = List.of(a.getOrDefault("modes", "smtp,graph").split(","));
        Path certs = Path.of(a.getOrDefault("out", "target/bench")).toAbsolutePath().resolve("certs");
        Certs.make(certs);
        if (prewarm > 0) {
            for (String mode : modes) {
                row(mode, 4, 0, 1, prewarm, certs);
            }
            System.out.println("(pre-warm done)");
        }
        List<Row> rows = new ArrayList<>();
        for (int t : threads) {
            for (String mode : modes) {
                rows.add(row(mode, t, warmup, windows, window, certs));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%d windows of %.0f s after %.0f s warm-up; nproc %d; load %s%n", windows, window,
                warmup, Runtime.getRuntime().availableProcessors(), load());
        System.out.println("| path | threads | msg/s (median; min–max) | p50 ms | p99 ms | client CPU µs/msg "
                + "| server CPU µs/msg | errors | delivered / measured |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            Measure.Result m = r.result();
            double seconds = windows * window;
            double perSecond = m.latencies.length / seconds;
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f (%.0f–%.0f) | %.2f | %.2f | %.0f | %.0f | %d | %d / %d |%n",
                    r.mode().equals("graph") ? "connector, send-via=graph → Graph emulator"
                            : "connector, SMTP (STARTTLS) → SMTP sink", r.threads(), m.median(), m.min(), m.max(),
                    m.percentileMicros(50) / 1000, m.percentileMicros(99) / 1000, m.clientCpu * 1e6 / perSecond,
                    m.sinkCpu * 1e6 / perSecond, m.errors, r.delivered(), m.latencies.length);
        }
        System.exit(0);
    }

    /** One row: a fresh server JVM, the connector's Session, {@code threads} senders, then the server's count. */
    static Row row(String mode, int threads, double warmup, int windows, double window, Path certs) throws Exception {
        boolean graph = mode.equals("graph");
        try (ServerProcess server = graph ? ServerProcess.graph(certs) : ServerProcess.smtpSink(certs);
             TokenIssuer smtpTokens = graph ? null : new TokenIssuer(certs.resolve("server.p12"), 3600)) {
            Map<String, String> keys = graph ? graphSettings(server, threads, certs)
                    : Senders.adapterSettings(new Senders.Target(server.smtpPort(), true, smtpTokens.endpoint(),
                    threads), "smtp-bench", trust(certs));
            String name = graph ? "graph-bench" : "smtp-bench";
            Measure.Result r;
            try (Senders.ConnectorPath path = new Senders.ConnectorPath(new OAuth2MailManagedConnectionFactory(name,
                    SettingsSource.of(keys)))) {
                r = path.measure(threads, warmup, windows, window, server.pid());
            }
            long delivered = server.delivered();
            System.out.printf(Locale.ROOT, "%s, %d threads: median %.0f msg/s, %d measured sends, %d errors%s, "
                            + "server counted %d messages%n", mode, threads, r.median(), r.latencies.length, r.errors,
                    r.firstError == null ? "" : " (first: " + r.firstError + ")", delivered);
            return new Row(mode, threads, r, delivered);
        }
    }

    /** Graph mode: the emulator's token endpoint and base URL, the Graph scope, no SMTP keys. */
    private static Map<String, String> graphSettings(ServerProcess server, int threads, Path certs) {
        String p = "oauth2mail.graph-bench.";
        Map<String, String> m = new HashMap<>();
        m.put(p + "provider", "oauth2");
        m.put(p + "token-endpoint", server.tokenEndpoint());
        m.put(p + "client-id", "bench-client");
        m.put(p + "client-secret", "bench-secret");
        m.put(p + "scope", GraphBenchServer.GRAPH_SCOPE);
        m.put(p + "mailbox", Workload.FROM);
        m.put(p + "send-via", "graph");
        m.put(p + "graph-endpoint", server.graphEndpoint());
        m.put(p + "connect-timeout-ms", "10000");
        m.put(p + "read-timeout-ms", "60000");
        trust(certs).forEach((k, v) -> m.put(p + k, v));
        return m;
    }

    private static Map<String, String> trust(Path certs) {
        return Map.of("trust-store-path", certs.resolve("trust.p12").toString(), "trust-store-password",
                Certs.PASSWORD);
    }

    private static String load() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unavailable";
        }
    }

    private GraphBench() {
    }
}
