package io.github.oauth2mail.bench;

import java.nio.file.Path;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One benchmark JVM (started by {@link BenchMain}): runs every path for every thread count against the sink, in one
 * TLS mode, and prints {@code RESULT} lines; optionally the connect-cost probe, the token-refresh run and a JFR
 * profile of the connector path.
 *
 * <p>Arguments: {@code key=value}: mode (tls|plain), port, sinkPid, certs, threads (1,4,16), paths, warmup, windows,
 * window (seconds), refresh (seconds, 0 = off), connectCost (n, 0 = off), profile (seconds, 0 = off), payara, wildfly,
 * liberty (the benchmark WAR's URL in that server, for the PAYARA, WILDFLY, LIBERTY paths).
 */
public final class ClientRun {

    private ClientRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        boolean tls = !"plain".equals(a.get("mode"));
        int port = Integer.parseInt(a.get("port"));
        if (!tls) {
            // must happen before anything asks for the default SSLSocketFactory
            System.setProperty("bench.passthrough.port", String.valueOf(port));
            Security.setProperty("ssl.SocketFactory.provider", PassThroughTls.class.getName());
        }
        Logger.getLogger("").setLevel(Level.WARNING);
        if (Boolean.parseBoolean(a.get("noauth"))) {
            System.setProperty("bench.noauth", "true");
        }
        for (String server : List.of("payara", "wildfly", "liberty")) {
            if (a.containsKey(server)) {
                System.setProperty("bench." + server + ".url", a.get(server)); // the in-server paths (ServerPath)
            }
        }
        long sinkPid = Long.parseLong(a.getOrDefault("sinkPid", "0"));
        int[] threads = Arrays.stream(a.getOrDefault("threads", "1,4,16").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        List<Senders.Kind> kinds = new ArrayList<>();
        for (String k : a.getOrDefault("paths", "BASELINE,CONNECTOR,LIMIT_ANGUS,LIMIT_ADAPTER,PEER").split(",")) {
            kinds.add(Senders.Kind.valueOf(k.trim().toUpperCase(Locale.ROOT)));
        }
        double warmup = Double.parseDouble(a.getOrDefault("warmup", "3"));
        int windows = Integer.parseInt(a.getOrDefault("windows", "5"));
        double window = Double.parseDouble(a.getOrDefault("window", "2"));
        String mode = tls ? "tls" : "plain";
        String label = a.getOrDefault("label", mode);

        try (TokenIssuer issuer = new TokenIssuer(Path.of(a.get("certs")).resolve("server.p12"), 3600)) {
            int connectCost = Integer.parseInt(a.getOrDefault("connectCost", "0"));
            if (connectCost > 0) {
                ConnectCost.run(port, tls, issuer.endpoint(), connectCost);
            }
            if (a.containsKey("wall") || Integer.parseInt(a.getOrDefault("profile", "0")) > 0) {
                // JIT warm-up of the profiled paths before any of them is sampled
                for (Senders.Kind kind : List.of(Senders.Kind.CONNECTOR, Senders.Kind.LIMIT_ADAPTER)) {
                    try (Workload.Path path = Senders.path(kind, new Senders.Target(port, tls, issuer.endpoint(), 4))) {
                        Measure.run(path, 4, 0, 1, 6, 0);
                    }
                }
            }
            if (a.containsKey("wall")) {
                for (String k : a.get("wall").split(",")) {
                    WallProfile.run(Senders.Kind.valueOf(k), new Senders.Target(port, tls, issuer.endpoint(), 1),
                            Integer.parseInt(a.getOrDefault("wallSeconds", "8")), label);
                }
            }
            int profile = Integer.parseInt(a.getOrDefault("profile", "0"));
            if (profile > 0) {
                for (String k : a.getOrDefault("profilePaths", "CONNECTOR,LIMIT_ADAPTER").split(",")) {
                    Senders.Kind kind = Senders.Kind.valueOf(k);
                    Profile.run(kind, new Senders.Target(port, tls, issuer.endpoint(), 4), 4, profile,
                            Path.of(a.get("certs")).getParent().resolve(kind.name().toLowerCase(Locale.ROOT) + "-"
                                    + mode + ".jfr"));
                }
                return;
            }
            double prewarm = Double.parseDouble(a.getOrDefault("prewarm", "3"));
            if (prewarm > 0) {
                // JIT warm-up of every path once in this JVM, so that the first path measured is not penalised
                for (Senders.Kind kind : new java.util.LinkedHashSet<>(kinds)) {
                    try (Workload.Path path = Senders.path(kind, new Senders.Target(port, tls, issuer.endpoint(), 4))) {
                        path.measure(4, 0, 1, prewarm, 0);
                    } catch (Exception e) {
                        System.out.println("prewarm of " + kind + " failed: " + e);
                    }
                }
                System.out.println("prewarm done");
            }
            // Round robin: every path gets one window per round, so drift and the machine's background load hit
            // all paths alike; the paths (and their pools) stay open across rounds.
            for (int n : threads) {
                Map<Senders.Kind, Workload.Path> open = new LinkedHashMap<>();
                Map<Senders.Kind, List<Measure.Result>> got = new LinkedHashMap<>();
                for (Senders.Kind kind : kinds) {
                    try {
                        open.put(kind, Senders.path(kind, new Senders.Target(port, tls, issuer.endpoint(), n)));
                        got.put(kind, new ArrayList<>());
                    } catch (Exception e) {
                        System.out.println("FAILED\t" + label + "\t" + kind + "\t" + n + "\t" + e);
                    }
                }
                for (int round = 0; round < windows; round++) {
                    for (Map.Entry<Senders.Kind, Workload.Path> e : open.entrySet()) {
                        try {
                            got.get(e.getKey()).add(e.getValue().measure(n, warmup, 1, window, sinkPid));
                        } catch (Exception ex) {
                            System.out.println("FAILED\t" + label + "\t" + e.getKey() + "\t" + n + "\t" + ex);
                        }
                    }
                }
                for (Map.Entry<Senders.Kind, Workload.Path> e : open.entrySet()) {
                    try {
                        e.getValue().close();
                    } catch (Exception ex) {
                        // closing after the run: nothing to report
                    }
                    List<Measure.Result> rs = got.get(e.getKey());
                    if (rs.isEmpty()) {
                        continue;
                    }
                    Measure.Result r = Measure.Result.merge(rs);
                    System.out.println(String.format(Locale.ROOT,
                            "RESULT\t%s\t%s\t%d\t%.1f\t%.1f\t%.1f\t%.0f\t%.0f\t%.2f\t%.2f\t%d\t%s", label, e.getKey(),
                            n, r.median(), r.min(), r.max(), r.percentileMicros(50), r.percentileMicros(99), r.sinkCpu,
                            r.clientCpu, r.errors, r.firstError == null ? "" : r.firstError.replace('\t', ' ')));
                    System.out.flush();
                }
            }
            int refresh = Integer.parseInt(a.getOrDefault("refresh", "0"));
            if (refresh > 0) {
                RefreshRun.run(issuer, new Senders.Target(port, tls, issuer.endpoint(), 4), refresh,
                        Integer.parseInt(a.getOrDefault("tokenLifetime", "20")));
            }
        }
        System.exit(0);
    }
}
