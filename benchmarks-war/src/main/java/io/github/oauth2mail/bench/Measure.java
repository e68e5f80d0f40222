package io.github.oauth2mail.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one path with N threads: each thread sends in a loop; after a warm-up, R back-to-back windows of M seconds are
 * measured (messages per window, and every send's latency). Also the CPU time the sink process and this JVM used.
 * Runs in the benchmark client JVM and, for the in-server rows, inside Payara Micro, WildFly or Open Liberty (the WAR's
 * servlet).
 */
public final class Measure {

    /** One configuration's outcome. */
    public static final class Result {
        final double[] rates;         // msg/s per window
        final long[] latencies;       // ns, every measured send
        final double sinkCpu;         // cores the sink used during the windows
        final double clientCpu;       // cores this JVM used during the windows
        final long errors;
        final String firstError;

        Result(double[] rates, long[] latencies, double sinkCpu, double clientCpu, long errors, String firstError) {
            this.rates = rates;
            this.latencies = latencies;
            this.sinkCpu = sinkCpu;
            this.clientCpu = clientCpu;
            this.errors = errors;
            this.firstError = firstError;
        }

        /** One result from several runs: every window's rate, every latency, mean CPU, all errors. */
        static Result merge(List<Result> rs) {
            double[] rates = rs.stream().flatMapToDouble(r -> Arrays.stream(r.rates)).toArray();
            long[] lat = rs.stream().flatMapToLong(r -> Arrays.stream(r.latencies)).sorted().toArray();
            double sink = rs.stream().mapToDouble(r -> r.sinkCpu).average().orElse(Double.NaN);
            double client = rs.stream().mapToDouble(r -> r.clientCpu).average().orElse(Double.NaN);
            long errors = rs.stream().mapToLong(r -> r.errors).sum();
            String first = rs.stream().map(r -> r.firstError).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            return new Result(rates, lat, sink, client, errors, first);
        }

        double median() {
            double[] r = rates.clone();
            Arrays.sort(r);
            return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
        }

        double min() {
            return Arrays.stream(rates).min().orElse(0);
        }

        double max() {
            return Arrays.stream(rates).max().orElse(0);
        }

        double percentileMicros(double p) {
            return percentile(latencies, p) / 1000.0;
        }

        /**
         * As text, for the servlet's response: {@code rates}, {@code sinkCpu}, {@code clientCpu}, {@code errors},
         * {@code firstError} and {@code latencies} lines ({@code key<TAB>values}, values space-separated).
         */
        public String toText() {
            StringBuilder b = new StringBuilder();
            b.append("rates\t");
            for (double r : rates) {
                b.append(r).append(' ');
            }
            b.append("\nsinkCpu\t").append(sinkCpu).append("\nclientCpu\t").append(clientCpu).append("\nerrors\t")
                    .append(errors).append("\nfirstError\t")
                    .append(firstError == null ? "" : firstError.replaceAll("[\t\r\n]", " ")).append("\nlatencies\t");
            for (long l : latencies) {
                b.append(l).append(' ');
            }
            return b.append('\n').toString();
        }

        /** The inverse of {@link #toText()}. */
        public static Result parse(String text) {
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (String line : text.split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    m.put(line.substring(0, tab), line.substring(tab + 1).trim());
                }
            }
            if (!m.containsKey("rates") || !m.containsKey("latencies")) {
                throw new IllegalArgumentException("not a measurement: " + text.substring(0, Math.min(200, text.length())));
            }
            String first = m.getOrDefault("firstError", "");
            return new Result(Arrays.stream(split(m.get("rates"))).mapToDouble(Double::parseDouble).toArray(),
                    Arrays.stream(split(m.get("latencies"))).mapToLong(Long::parseLong).sorted().toArray(),
                    Double.parseDouble(m.get("sinkCpu")), Double.parseDouble(m.get("clientCpu")),
                    Long.parseLong(m.get("errors")), first.isEmpty() ? null : first);
        }

        private static String[] split(String values) {
            return values.isEmpty() ? new String[0] : values.split(" ");
        }
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private Measure() {
    }

    /** Per-thread recording: the window each send finished in, and its latency. */
    private static final class Recorder {
        long[] lat = new long[1 << 14];
        int n;
        final long[] perWindow;

        Recorder(int windows) {
            perWindow = new long[windows];
        }

        void add(long ns) {
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = ns;
        }
    }

    static Result run(Workload.Path path, int threads, double warmupSeconds, int windows, double windowSeconds,
                      long sinkPid) throws Exception {
        return run(path, threads, warmupSeconds, windows, windowSeconds, sinkPid, Thread::new);
    }

    /** As above, the sending threads made by {@code threadFactory} (a server's ManagedThreadFactory, in the WAR). */
    public static Result run(Workload.Path path, int threads, double warmupSeconds, int windows, double windowSeconds,
                             long sinkPid, ThreadFactory threadFactory) throws Exception {
        List<Workload.Sender> senders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            senders.add(path.newSender());
        }
        long warmNs = (long) (warmupSeconds * 1e9);
        long winNs = (long) (windowSeconds * 1e9);
        Recorder[] rec = new Recorder[threads];
        long[] errors = new long[threads];
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        long[] t0 = new long[1];
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            rec[i] = new Recorder(windows);
            Thread t = threadFactory.newThread(() -> {
                Workload.Sender s = senders.get(id);
                Recorder r = rec[id];
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long measureStart = t0[0] + warmNs;
                long end = measureStart + windows * winNs;
                while (true) {
                    long a = System.nanoTime();
                    if (a >= end) {
                        break;
                    }
                    try {
                        s.send();
                    } catch (Exception e) {
                        errors[id]++;
                        firstError.compareAndSet(null, e.toString());
                        continue;
                    }
                    long b = System.nanoTime();
                    if (a >= measureStart && b < end) {
                        r.add(b - a);
                        r.perWindow[(int) ((b - measureStart) / winNs)]++;
                    }
                }
            });
            t.setName("send-" + i);
            ts.add(t);
            t.start();
        }
        t0[0] = System.nanoTime();
        start.countDown();
        long measureStart = t0[0] + warmNs;
        sleepUntil(measureStart);
        long sinkBefore = cpuTicks(sinkPid);
        long clientBefore = clientCpuNs();
        sleepUntil(measureStart + windows * winNs);
        long sinkAfter = cpuTicks(sinkPid);
        long clientAfter = clientCpuNs();
        for (Thread t : ts) {
            t.join(120_000);
        }
        for (Workload.Sender s : senders) {
            try {
                s.close();
            } catch (Exception e) {
                // closing a sender after the run: nothing to report
            }
        }
        double seconds = windows * windowSeconds;
        double[] rates = new double[windows];
        int total = 0;
        long errs = 0;
        for (int i = 0; i < threads; i++) {
            total += rec[i].n;
            errs += errors[i];
            for (int w = 0; w < windows; w++) {
                rates[w] += rec[i].perWindow[w] / windowSeconds;
            }
        }
        long[] all = new long[total];
        int k = 0;
        for (Recorder r : rec) {
            System.arraycopy(r.lat, 0, all, k, r.n);
            k += r.n;
        }
        Arrays.sort(all);
        double sinkCpu = sinkPid > 0 ? (sinkAfter - sinkBefore) / (double) CLK_TCK / seconds : Double.NaN;
        double clientCpu = (clientAfter - clientBefore) / 1e9 / seconds;
        return new Result(rates, all, sinkCpu, clientCpu, errs, firstError.get());
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    static final int CLK_TCK = 100;

    /** utime + stime of a process, in clock ticks (Linux /proc). */
    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * This JVM's CPU time (all threads, user + system) in ns: the platform MXBean's process CPU time; where the
     * application's class loader cannot see {@code com.sun.management} (a server may hide JDK modules outside
     * {@code java.se} from deployments) the same figure from {@code /proc/self/stat} through
     * {@link ProcessHandle} (clock-tick resolution, 10 ms). Inside a server it is the server JVM's CPU.
     */
    static long clientCpuNs() {
        if (mxCpu) {
            try {
                return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime();
            } catch (LinkageError | ClassCastException e) {
                mxCpu = false;
            }
        }
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static volatile boolean mxCpu = true;
}
