package io.github.oauth2mail.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the whole benchmark and prints the table: starts the SMTP sink (its own JVM), then one client JVM per TLS mode
 * (every path, 1/4/16 threads), the connect-cost probe and the token-refresh run (TLS JVM), a JFR profile of the
 * connector path, and, when Postfix's smtp-sink is installed, a calibration of the sink against it. For the in-server
 * paths (PAYARA, WILDFLY, LIBERTY; TLS only) the servers run with the connector and the benchmark WAR during the TLS
 * client run.
 *
 * <p>Arguments ({@code key=value}, all optional): {@code quick=true} (short windows, for a smoke run),
 * {@code threads=1,4,16}, {@code warmup=1} (per window), {@code windows=5} (rounds), {@code window=2}, {@code refresh=45},
 * {@code profile=8}, {@code prewarm=2}, {@code connectCost=30}, {@code calibrate=true}, {@code calibrationWindows=2},
 * {@code out=target/bench}, {@code paths=...} (without PAYARA, WILDFLY, LIBERTY: no server),
 * {@code servers=payara,wildfly,liberty} (which servers, replacing those in paths; {@code none}: no server),
 * {@code dist=target/dist}, {@code <server>Config=../server-config/<server>}, {@code <server>StartSeconds=240},
 * {@code wildflyDist}, {@code libertyDist} (default: the folders the bench profile unpacks to target/servers),
 * {@code serverWarmup=8} (alias payaraWarmup; seconds, 4 threads, right after start), {@code payaraValidate=false} (true: the Payara pool validates every connection it hands out, a diagnostic),
 * {@code serverJfr=false} (true: a JFR recording of every server JVM, {@code out/<server>/<server>.jfr}, written when it
 * stops; {@code payaraJfr}, {@code wildflyJfr}, {@code libertyJfr} for one server, diagnostics),
 * {@code serverStreamProvider=false} (true: every server JVM with the system property naming Jakarta Mail's stream
 * provider, a diagnostic of issue #17, see {@link PayaraBench}; {@code payaraStreamProvider}, {@code wildflyStreamProvider},
 * {@code libertyStreamProvider} for one server).
 */
public final class BenchMain {

    final Map<String, String> args = new LinkedHashMap<>();
    final List<String> results = new ArrayList<>();
    private final List<String> loads = new ArrayList<>();
    private final String classpath = System.getProperty("java.class.path");
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out;
    Path certs;

    public static void main(String[] argv) throws Exception {
        BenchMain m = new BenchMain();
        for (String s : argv) {
            int eq = s.indexOf('=');
            if (eq > 0) {
                m.args.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        m.run();
        System.exit(0);
    }

    String arg(String key, String dflt, String quick) {
        return args.getOrDefault(key, Boolean.parseBoolean(args.get("quick")) ? quick : dflt);
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        out = Path.of(arg("out", "target/bench", "target/bench")).toAbsolutePath();
        certs = out.resolve("certs");
        Certs.make(certs);
        int plainPort = freePort();
        int tlsPort = freePort();
        String threads = arg("threads", "1,4,16", "1,4");
        String warmup = arg("warmup", "1", "0.5");
        String windows = arg("windows", "5", "3");
        String window = arg("window", "2", "1");
        String refresh = arg("refresh", "45", "10");
        String profile = arg("profile", "8", "3");
        String prewarm = arg("prewarm", "2", "1");
        load("start");
        Process sink = start(List.of(java, "-Xms128m", "-Xmx256m", "-cp", classpath, SmtpSink.class.getName(),
                String.valueOf(plainPort), String.valueOf(tlsPort), certs.resolve("server.p12").toString()), "READY");
        try {
            long pid = sink.pid();
            String allPaths = paths();
            List<Senders.Kind> servers = new ArrayList<>();
            for (String k : allPaths.split(",")) {
                if (!k.isBlank() && Senders.Kind.IN_SERVER.contains(Senders.Kind.valueOf(k.trim()))) {
                    servers.add(Senders.Kind.valueOf(k.trim()));
                }
            }
            // the application servers only with TLS (the adapter in a server has no plain-mode pass-through)
            String paths = "paths=" + allPaths;
            String plainPaths = "paths=" + withoutServers(allPaths);
            String modes = arg("modes", "tls,plain", "tls,plain");
            if (modes.contains("tls")) {
                List<String> tlsArgs = new ArrayList<>(List.of("mode=tls", "port=" + tlsPort, "sinkPid=" + pid,
                        "threads=" + threads, paths, "warmup=" + warmup, "windows=" + windows, "window=" + window,
                        "prewarm=" + prewarm, "connectCost=" + arg("connectCost", "30", "5"), "refresh=" + refresh,
                        "tokenLifetime=" + arg("tokenLifetime", "20", "4")));
                if (!servers.isEmpty()) {
                    new InServerRun(this).run(servers, tlsPort, threads, tlsArgs);
                } else {
                    client("tls", tlsArgs.toArray(new String[0]));
                }
            }
            if (modes.contains("plain") && !plainPaths.equals("paths=")) {
                client("plain", "mode=plain", "port=" + plainPort, "sinkPid=" + pid, "threads=" + threads, plainPaths,
                        "warmup=" + warmup, "windows=" + windows, "window=" + window, "prewarm=" + prewarm,
                        "connectCost=" + arg("connectCost", "30", "5"));
            }
            if (!"0".equals(profile)) {
                client("profile", "mode=tls", "port=" + tlsPort, "sinkPid=" + pid, "profile=" + profile, "prewarm=0",
                        "wall=CONNECTOR,LIMIT_ADAPTER", "wallSeconds=" + arg("wallSeconds", "6", "2"));
            }
            if (Boolean.parseBoolean(arg("calibrate", "true", "false"))) {
                calibrate(threads, warmup, windows, window, plainPort, pid);
            }
        } finally {
            sink.destroy();
            sink.waitFor(10, TimeUnit.SECONDS);
        }
        String report = Report.render(results, loads, machine(), (System.nanoTime() - began) / 1e9);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), report);
        System.out.println();
        System.out.println(report);
        System.out.println("(also written to " + out.resolve("results.md") + ")");
    }

    /**
     * The measured paths: {@code paths=} (default: every path, the three servers included); {@code servers=} (a
     * comma-separated subset of payara, wildfly, liberty, or {@code none}) replaces the in-server paths in it.
     */
    private String paths() {
        String all = arg("paths", "BASELINE,CONNECTOR,LIMIT_ANGUS,LIMIT_ADAPTER,PEER,PAYARA,WILDFLY,LIBERTY",
                "BASELINE,CONNECTOR,LIMIT_ANGUS,LIMIT_ADAPTER,PEER,PAYARA,WILDFLY,LIBERTY");
        if (!args.containsKey("servers")) {
            return all;
        }
        StringBuilder b = new StringBuilder(withoutServers(all));
        for (String server : args.get("servers").split(",")) {
            String k = server.trim().toUpperCase(Locale.ROOT);
            if (!k.isEmpty() && !k.equals("NONE")) {
                if (!Senders.Kind.IN_SERVER.contains(Senders.Kind.valueOf(k))) {
                    throw new IllegalArgumentException("servers=: payara, wildfly, liberty or none, not " + server);
                }
                b.append(b.length() == 0 ? "" : ",").append(k);
            }
        }
        return b.toString();
    }

    private static String withoutServers(String paths) {
        List<String> kept = new ArrayList<>();
        for (String k : paths.split(",")) {
            if (!k.isBlank() && !Senders.Kind.IN_SERVER.contains(Senders.Kind.valueOf(k.trim()))) {
                kept.add(k.trim());
            }
        }
        return String.join(",", kept);
    }

    /**
     * The same Angus rows against Postfix's smtp-sink and against the Java sink, without AUTH (smtp-sink answers AUTH
     * with 250, which Angus rightly refuses), to show the Java sink is not the bottleneck.
     */
    private void calibrate(String threads, String warmup, String windows, String window, int javaSinkPort,
                           long javaSinkPid) throws Exception {
        File smtpSink = new File("/usr/sbin/smtp-sink");
        if (!smtpSink.canExecute()) {
            System.out.println("smtp-sink not installed: calibration skipped (benchmarks/run.sh installs postfix)");
            return;
        }
        int port = freePort();
        Process p = new ProcessBuilder(smtpSink.getPath(), "-u", "nobody", "127.0.0.1:" + port, "256")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            String[] common = {"mode=plain", "noauth=true", "threads=" + arg("calibrationThreads", "1,4", "1"),
                "paths=BASELINE,LIMIT_ANGUS", "warmup=" + warmup, "windows=" + arg("calibrationWindows", "2", "2"),
                "window=" + window, "prewarm=1"};
            List<String> a = new ArrayList<>(List.of(common));
            a.addAll(List.of("label=smtp-sink, no AUTH", "port=" + port, "sinkPid=" + p.pid()));
            client("calibration smtp-sink", a.toArray(new String[0]));
            List<String> b = new ArrayList<>(List.of(common));
            b.addAll(List.of("label=java sink, no AUTH", "port=" + javaSinkPort, "sinkPid=" + javaSinkPid));
            client("calibration java sink", b.toArray(new String[0]));
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    void client(String name, String... clientArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx1g",
                "-Djavax.net.ssl.trustStore=" + certs.resolve("trust.p12"),
                "-Djavax.net.ssl.trustStorePassword=" + Certs.PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp", classpath, ClientRun.class.getName(), "certs=" + certs));
        cmd.addAll(List.of(clientArgs));
        load(name + " start");
        System.out.println("== " + name + ": " + String.join(" ", clientArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println(line);
                if (line.matches("^(RESULT|CONNECT|REFRESH|PROFILE|WALL|FAILED)\t.*")) {
                    results.add(line);
                }
            }
        }
        p.waitFor();
        load(name + " end");
    }

    private Process start(List<String> cmd, String ready) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.contains(ready)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (r.readLine() != null) {
                            // discard
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                }, "sink-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
            System.out.println("sink: " + line);
        }
        throw new IOException("sink did not start");
    }

    void load(String when) {
        try {
            String l = Files.readString(Path.of("/proc/loadavg")).trim();
            String[] f = l.split(" ");
            loads.add(when + " (" + Instant.now().toString().substring(11, 19) + " UTC): " + f[0] + " " + f[1] + " "
                    + f[2]);
        } catch (IOException e) {
            loads.add(when + ": load average unavailable");
        }
    }

    private static String machine() {
        StringBuilder b = new StringBuilder();
        b.append("nproc ").append(Runtime.getRuntime().availableProcessors());
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal")) {
                    b.append(", ").append(l.replaceAll("\\s+", " "));
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    b.append(", ").append(l.substring(l.indexOf(':') + 2));
                    break;
                }
            }
        } catch (IOException e) {
            // best effort
        }
        b.append(", Java ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", ").append(System.getProperty("os.name"))
                .append(' ').append(System.getProperty("os.version"));
        return b.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
