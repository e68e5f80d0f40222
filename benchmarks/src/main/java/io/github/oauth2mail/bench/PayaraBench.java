package io.github.oauth2mail.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Payara Micro 6 with the connector .rar and the benchmark WAR, for the PAYARA row. The pool and the resource come from
 * the project's own {@code server-config/payara/post-boot-connector.asadmin} as checked in (resource
 * {@code mail/office365}, pool with connection validation on), with one change: {@code --maxpoolsize} = the largest
 * thread count. The connector's settings are MicroProfile Config keys as environment variables
 * ({@code OAUTH2MAIL_DEMO_*}, which win over the pool properties): the sink (STARTTLS), the benchmark's HTTPS token
 * issuer, {@code max-connections-per-mailbox} = the largest thread count, and the benchmark certificate as the
 * connector's {@code trust-store-path}. {@link #close} stops Payara and every process it started.
 */
final class PayaraBench implements BenchServer {

    private static final Pattern MAX_POOL = Pattern.compile("--maxpoolsize \\d+");
    static final String STREAM_PROVIDER_PROPERTY = "jakarta.mail.util.StreamProvider";
    static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    private final Process process;
    private final Path tmp;
    private final int httpPort;
    private final Thread killOnExit;

    private PayaraBench(Process process, Path tmp, int httpPort) {
        this.process = process;
        this.tmp = tmp;
        this.httpPort = httpPort;
        // whatever happens to this JVM (exception, System.exit, Ctrl-C), Payara must not outlive it
        this.killOnExit = new Thread(this::stop, "payara-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** The benchmark WAR's base URL. */
    @Override
    public String url() {
        return "http://127.0.0.1:" + httpPort + "/bench";
    }

    /**
     * Starts Payara Micro and waits (at most {@code startSeconds}) until the WAR is deployed.
     *
     * @param dist      payara-micro.jar, oauth2-mail-adapter.rar and bench.war (copied there by the module's build)
     * @param config    {@code server-config/payara}
     * @param maxThreads pool size and max-connections-per-mailbox
     * @param validate   {@code --isconnectvalidatereq true} instead of the checked-in {@code false} (a diagnostic variant:
     *                   the pool then validates, i.e. NOOPs, every connection it hands out)
     */
    static PayaraBench start(Path dist, Path config, Path work, Path certs, int smtpPort, String tokenEndpoint,
                             int maxThreads, boolean validate, int startSeconds) throws IOException {
        return start(dist, config, work, certs, smtpPort, tokenEndpoint, maxThreads, validate, false, startSeconds);
    }

    /**
     * As above; {@code streamProvider}: also the system property {@value #STREAM_PROVIDER_PROPERTY} (a diagnostic,
     * issue #17): Jakarta Mail then instantiates the named provider instead of a {@code ServiceLoader} lookup through
     * the application's class loader on every {@code MimeMessage.writeTo}. Not in the checked-in file: it is JVM-wide
     * and fails where the thread's context class loader cannot see Angus (BENCHMARKS.md, "In-server speed").
     */
    static PayaraBench start(Path dist, Path config, Path work, Path certs, int smtpPort, String tokenEndpoint,
                             int maxThreads, boolean validate, boolean streamProvider, int startSeconds)
            throws IOException {
        Files.createDirectories(work);
        String postBoot = Files.readString(config.resolve("post-boot-connector.asadmin"));
        Matcher m = MAX_POOL.matcher(postBoot);
        if (!m.find()) {
            throw new IllegalStateException("no --maxpoolsize in post-boot-connector.asadmin: update PayaraBench");
        }
        Path postBootFile = work.resolve("post-boot-bench.asadmin");
        String ours = m.replaceAll("--maxpoolsize " + maxThreads);
        if (validate) {
            // diagnostic only: the pool validates every connection it hands out (a NOOP round trip per send)
            ours = ours.replace("--isconnectvalidatereq false", "--isconnectvalidatereq true");
        }
        if (streamProvider) {
            ours = ours + "\ncreate-system-properties " + STREAM_PROVIDER_PROPERTY + "=" + ANGUS_STREAM_PROVIDER + "\n";
        }
        Files.writeString(postBootFile, ours);
        Path tmp = Files.createTempDirectory(work, "payara-tmp");
        int port = BenchMain.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OAUTH2MAIL_RAR", dist.resolve("oauth2-mail-adapter.rar").toString());
        env.put("OAUTH2MAIL_LOG_LEVEL", "WARNING");
        BenchServer.putConnectorSettings(env, certs, smtpPort, tokenEndpoint, maxThreads);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms512m", "-Xmx1g", "-Djava.io.tmpdir=" + tmp));
        if (Boolean.getBoolean("bench.payara.jfr")) {
            // diagnostic: a JFR recording of the whole Payara run, written when Payara stops
            cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + work.resolve("payara.jfr"));
        }
        cmd.addAll(List.of("-jar", dist.resolve("payara-micro.jar").toString(), "--nocluster", "--nohostaware",
                "--port", String.valueOf(port), "--postbootcommandfile", postBootFile.toString(),
                "--deploy", dist.resolve("bench.war").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(work.toFile());
        pb.environment().putAll(env);
        PayaraBench payara = new PayaraBench(pb.start(), tmp, port);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Path log = work.resolve("payara.log");
        Thread pump = new Thread(() -> payara.pump(log, ready), "payara-output");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(startSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            payara.close();
            throw new IOException("Payara Micro did not start within " + startSeconds + " s (log: " + log + "): " + e,
                    e);
        }
        return payara;
    }

    private void pump(Path log, CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                file.write(line);
                file.write('\n');
                file.flush();
                if (!ready.isDone() && line.contains(" ready in ")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IOException("Payara Micro ended before it was ready"));
    }

    /** Pid of the Payara JVM. */
    @Override
    public long pid() {
        return process.pid();
    }

    private void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        stop();
        try (Stream<Path> files = Files.walk(tmp)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
