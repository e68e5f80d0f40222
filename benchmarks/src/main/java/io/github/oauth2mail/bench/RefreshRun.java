package io.github.oauth2mail.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sustained connector load (4 threads) with short-lived tokens: how many token requests per minute the issuer sees,
 * and send latency while a background refresh is under way versus outside one. A control run with hour-long tokens
 * (no refresh, no token-driven reconnect) of the same length comes first.
 */
final class RefreshRun {

    private RefreshRun() {
    }

    static void run(TokenIssuer issuer, Senders.Target target, int seconds, int lifetime) throws Exception {
        one(issuer, target, Math.max(10, seconds / 2), 3600, "control");
        one(issuer, target, seconds, lifetime, "refresh");
    }

    private static void one(TokenIssuer issuer, Senders.Target target, int seconds, int lifetime, String label)
            throws Exception {
        issuer.lifetimeSeconds(lifetime);
        int threads = target.threads();
        long warmNs = 3_000_000_000L;
        try (Senders.ConnectorPath path = Senders.connector(target, "refresh" + lifetime, Map.of())) {
            List<Thread> ts = new ArrayList<>();
            List<long[][]> holders = new ArrayList<>();
            long t0 = System.nanoTime();
            long start = t0 + warmNs;
            long end = start + seconds * 1_000_000_000L;
            long[] errors = new long[threads];
            for (int i = 0; i < threads; i++) {
                Workload.Sender s = path.newSender();
                long[][] holder = {new long[1 << 16]};
                int id = i;
                Thread t = new Thread(() -> {
                    long[] buf = holder[0];
                    int n = 0;
                    while (true) {
                        long a = System.nanoTime();
                        if (a >= end) {
                            break;
                        }
                        try {
                            s.send();
                        } catch (Exception e) {
                            errors[id]++;
                            continue;
                        }
                        long b = System.nanoTime();
                        if (a >= start) {
                            if (n + 2 > buf.length) {
                                buf = Arrays.copyOf(buf, buf.length * 2);
                            }
                            buf[n++] = a;
                            buf[n++] = b - a;
                        }
                    }
                    holder[0] = Arrays.copyOf(buf, n);
                }, "send-" + i);
                ts.add(t);
                holders.add(holder);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            List<Long> reqs = new ArrayList<>();
            for (long r : issuer.requests()) {
                if (r >= start && r < end) {
                    reqs.add(r);
                }
            }
            List<Long> during = new ArrayList<>();
            List<Long> outside = new ArrayList<>();
            for (long[][] h : holders) {
                long[] buf = h[0];
                for (int k = 0; k + 1 < buf.length; k += 2) {
                    long a = buf[k];
                    boolean near = false;
                    for (long r : reqs) {
                        if (a >= r - 100_000_000L && a <= r + 1_000_000_000L) {
                            near = true;
                            break;
                        }
                    }
                    (near ? during : outside).add(buf[k + 1]);
                }
            }
            long[] all = concat(during, outside);
            long[] d = sorted(during);
            long[] o = sorted(outside);
            long slow = Arrays.stream(all).filter(x -> x > 10_000_000L).count();
            System.out.println(String.format(Locale.ROOT,
                    "REFRESH\t%s\t%d\t%d\t%.2f\t%d\t%.1f\t%.0f\t%.0f\t%.0f\t%d\t%.0f\t%.0f\t%d\t%.0f\t%d", label, lifetime,
                    seconds, reqs.size() * 60.0 / seconds, all.length, all.length / (double) seconds,
                    Measure.percentile(all, 50) / 1e3, Measure.percentile(all, 99) / 1e3,
                    Measure.percentile(all, 99.9) / 1e3, d.length, Measure.percentile(d, 99) / 1e3,
                    Measure.percentile(o, 99) / 1e3, slow, all.length == 0 ? 0 : all[all.length - 1] / 1e3,
                    Arrays.stream(errors).sum()));
            System.out.flush();
        }
    }


    private static long[] sorted(List<Long> l) {
        long[] a = l.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    private static long[] concat(List<Long> x, List<Long> y) {
        List<Long> all = new ArrayList<>(x);
        all.addAll(y);
        return sorted(all);
    }
}
