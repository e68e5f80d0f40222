package io.github.oauth2mail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The in-server part of {@link BenchMain}'s TLS run: starts Payara Micro, WildFly and Open Liberty (those of the
 * PAYARA, WILDFLY, LIBERTY paths), each with the checked-in server-config, the connector .rar and the benchmark WAR,
 * and runs the TLS client JVM with their URLs, so that the in-server rows take part in the same round robin.
 */
final class InServerRun {

    private final BenchMain main;

    InServerRun(BenchMain main) {
        this.main = main;
    }

    /**
     * The TLS client run with the application servers of the in-server paths up (each with the connector .rar and the
     * benchmark WAR, one HTTPS token issuer in this JVM for all), started one after the other, each warmed up, then
     * measured in the same round robin as every other path; every server is stopped right after that run, whatever
     * happens. A server that cannot start leaves the run without its path and says so (a FAILED line in the tables).
     */
    void run(List<Senders.Kind> kinds, int tlsPort, String threads, List<String> tlsArgs)
            throws Exception {
        int maxThreads = Math.max(1, Arrays.stream(threads.split(",")).mapToInt(Integer::parseInt).max().orElse(1));
        Path dist = Path.of(main.arg("dist", "target/dist", "target/dist")).toAbsolutePath();
        List<BenchServer> started = new ArrayList<>();
        List<String> with = new ArrayList<>(tlsArgs);
        try (TokenIssuer issuer = new TokenIssuer(main.certs.resolve("server.p12"), 3600)) {
            try {
                for (Senders.Kind kind : kinds) {
                    String name = kind.name().toLowerCase(Locale.ROOT);
                    main.load(name + " start");
                    long t0 = System.nanoTime();
                    BenchServer server;
                    try {
                        server = startServer(kind, dist, issuer.endpoint(), tlsPort, maxThreads);
                    } catch (IOException | RuntimeException e) {
                        String failed = "FAILED\ttls\t" + kind + "\t" + threads + "\t" + kind + " did not start: " + e;
                        System.out.println(failed);
                        main.results.add(failed);
                        with.replaceAll(a -> a.startsWith("paths=") ? "paths=" + String.join(",",
                                Arrays.stream(a.substring(6).split(",")).filter(k -> !k.equals(kind.name())).toList())
                                : a);
                        continue;
                    }
                    started.add(server);
                    System.out.println(String.format(Locale.ROOT, "%s ready in %.1f s (pid %d, %s)", kind,
                            (System.nanoTime() - t0) / 1e9, server.pid(), server.url()));
                    main.load(name + " ready");
                    with.add(name + "=" + server.url());
                }
                for (BenchServer server : started) {
                    // JIT warm-up of the freshly started server's send path (and its pool), outside the measurements
                    Measure.Result warm = ServerPath.at(server.url()).measure(4, 0, 1,
                            Double.parseDouble(opt("serverWarmup", "payaraWarmup", "8")), 0);
                    System.out.println(String.format(Locale.ROOT, "%s warm-up: %.0f msg/s, %d errors%s", server.url(),
                            warm.median(), warm.errors, warm.firstError == null ? "" : " (" + warm.firstError + ")"));
                }
                main.client("tls", with.toArray(new String[0]));
            } finally {
                for (BenchServer server : started) {
                    server.close();
                }
                main.load("servers stopped");
            }
        }
    }

    private BenchServer startServer(Senders.Kind kind, Path dist, String tokenEndpoint, int tlsPort, int maxThreads)
            throws Exception {
        String name = kind.name().toLowerCase(Locale.ROOT);
        Path work = main.out.resolve(name);
        boolean jfr = Boolean.parseBoolean(opt(name + "Jfr", "serverJfr", "false"));
        boolean streamProvider = Boolean.parseBoolean(opt(name + "StreamProvider", "serverStreamProvider", "false"));
        int startSeconds = Integer.parseInt(main.arg(name + "StartSeconds", "240", "240"));
        Path config = Path.of(main.arg(name + "Config", "../server-config/" + name, "../server-config/" + name))
                .toAbsolutePath().normalize();
        Map<String, String> env = BenchServer.connectorEnv(main.certs, tlsPort, tokenEndpoint, maxThreads);
        switch (kind) {
            case PAYARA:
                System.setProperty("bench.payara.jfr", String.valueOf(jfr));
                return PayaraBench.start(dist, config, work, main.certs, tlsPort, tokenEndpoint, maxThreads,
                        Boolean.parseBoolean(main.arg("payaraValidate", "false", "false")),
                        streamProvider, startSeconds);
            case WILDFLY:
                return WildFlyBench.start(serverDist("wildflyDist", "wildfly-"), dist, config, work, env, maxThreads,
                        jfr, streamProvider, startSeconds);
            case LIBERTY:
                return LibertyBench.start(serverDist("libertyDist", "wlp"), dist, config, work, env, maxThreads, jfr,
                        streamProvider, startSeconds);
            default:
                throw new IllegalArgumentException(kind.name());
        }
    }

    /** The value of {@code key=}, else of {@code fallbackKey=}, else {@code dflt} (quick or not). */
    private String opt(String key, String fallbackKey, String dflt) {
        return main.arg(key, main.arg(fallbackKey, dflt, dflt), main.arg(fallbackKey, dflt, dflt));
    }

    /** {@code key=} or the folder under target/servers (unpacked by the build's bench profile) named {@code prefix*}. */
    private Path serverDist(String key, String prefix) throws IOException {
        if (main.args.containsKey(key)) {
            return Path.of(main.args.get(key)).toAbsolutePath();
        }
        Path servers = Path.of("target/servers").toAbsolutePath();
        try (var dirs = Files.list(servers)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(prefix) && Files.isDirectory(d)).findFirst()
                    .orElseThrow(() -> new IOException("no " + prefix + "* in " + servers
                            + " (benchmarks/run.sh unpacks it: mvn -Pbench package)"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(servers + " missing (benchmarks/run.sh unpacks the servers: mvn -Pbench package)", e);
        }
    }
}
