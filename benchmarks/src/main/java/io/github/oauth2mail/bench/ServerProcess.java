package io.github.oauth2mail.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark server in its own JVM ({@link GraphBenchServer} or {@link SmtpSink}) for {@link GraphBench}: started
 * with this JVM's class path, ready when it prints {@code READY} (at most 60 s), asked for its message count with a
 * {@code COUNTS} line (answer within 30 s), stopped by closing its stdin (then destroyed after 10 s at most).
 */
final class ServerProcess implements AutoCloseable {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String[] ready;

    private ServerProcess(List<String> command) throws IOException, InterruptedException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(this::read, "server-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        String line;
        while ((line = lines.poll(60, TimeUnit.SECONDS)) != null && !line.startsWith("READY")) {
            System.out.println("server: " + line);
        }
        if (line == null) {
            close();
            throw new IOException("server did not start within 60 s: " + command);
        }
        ready = line.split(" ");
    }

    /** The Graph emulator and its token endpoint ({@link GraphBenchServer}). */
    static ServerProcess graph(Path certs) throws IOException, InterruptedException {
        return new ServerProcess(List.of(JAVA, "-Xms512m", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                GraphBenchServer.class.getName(), certs.toString()));
    }

    /** The SMTP sink (STARTTLS on {@link #smtpPort}; its plain port unused here). */
    static ServerProcess smtpSink(Path certs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xms128m", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), SmtpSink.class.getName(), String.valueOf(BenchMain.freePort())));
        int tls = BenchMain.freePort();
        cmd.addAll(List.of(String.valueOf(tls), certs.resolve("server.p12").toString()));
        ServerProcess p = new ServerProcess(cmd);
        p.smtpPort = tls;
        return p;
    }

    private int smtpPort = -1;

    int smtpPort() {
        return smtpPort;
    }

    String tokenEndpoint() {
        return ready[1];
    }

    String graphEndpoint() {
        return ready[2];
    }

    long pid() {
        return process.pid();
    }

    /** The messages the server received so far (the sink's second count, the emulator's deliveries); -1: no answer. */
    long delivered() throws IOException, InterruptedException {
        OutputStream in = process.getOutputStream();
        in.write("COUNTS\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        String line;
        while ((line = lines.poll(30, TimeUnit.SECONDS)) != null) {
            if (line.startsWith("COUNTS ")) {
                String[] f = line.split(" ");
                return Long.parseLong(f[f.length - 1]);
            }
            System.out.println("server: " + line);
        }
        return -1;
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
