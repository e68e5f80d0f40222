package io.github.oauth2mail.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Payara Micro as a child process: {@code java -jar payara-micro.jar --postbootcommandfile <file> --deploy <war>},
 * started and awaited (bounded) until it prints " ready in ". The whole output goes to a log file and stays readable
 * for assertions. Its temp folder ({@code payaramicro-rt*}) is a folder of its own, deleted on {@link #close()}, which
 * also ends the process and every descendant.
 */
public final class PayaraMicro implements AutoCloseable {

    private static final String READY = " ready in ";
    /** Payara Micro's last words when its boot failed (a port in use, a failing post-boot command). */
    private static final String FAILED = "Failed to start, exiting";

    private final Process process;
    private final Path logFile;
    private final Path tmpDir;
    private final int httpPort;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Thread pump;
    private final Thread killOnExit;
    private final long startNanos;
    private volatile long readyMillis = -1;

    private PayaraMicro(Process process, Path logFile, Path tmpDir, int httpPort, Consumer<String> echo,
            long startNanos) {
        this.process = process;
        this.logFile = logFile;
        this.tmpDir = tmpDir;
        this.httpPort = httpPort;
        this.startNanos = startNanos;
        this.pump = new Thread(() -> pump(echo), "payara-output");
        this.pump.setDaemon(true);
        this.pump.start();
        // if the test JVM or the demo ends without close() (killed, System.exit), Payara must not outlive it
        this.killOnExit = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, "payara-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** {@code http://127.0.0.1:<port>/sample-app}. */
    public URI sampleApp() {
        return URI.create("http://127.0.0.1:" + httpPort + "/sample-app");
    }

    public int httpPort() {
        return httpPort;
    }

    /** Everything Payara printed so far. */
    public String log() {
        return output.toString();
    }

    public Path logFile() {
        return logFile;
    }

    /** Milliseconds from process start to " ready in ". */
    public long startupMillis() {
        return readyMillis;
    }

    public long pid() {
        return process.pid();
    }

    private void pump(Consumer<String> echo) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                file.write(line);
                file.write('\n');
                file.flush();
                if (echo != null) {
                    echo.accept(line);
                }
                if (!ready.isDone() && line.contains(READY)) {
                    readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                    ready.complete(null);
                }
                if (line.contains(FAILED)) {
                    // the JVM may live on after this (the JMX agent's RMI threads): do not wait for its end
                    ready.completeExceptionally(new IllegalStateException("Payara Micro failed to start: " + FAILED));
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("Payara Micro ended before it was ready"));
    }

    private void awaitReady(Duration timeout) {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException("Payara Micro not ready after " + timeout + "; log: " + logFile + "\n"
                    + tail(), e);
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException("Payara Micro failed to start; log: " + logFile + "\n" + tail(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while Payara Micro was starting", e);
        }
    }

    private String tail() {
        String all = output.toString();
        return all.length() <= 6000 ? all : "..." + all.substring(all.length() - 6000);
    }

    /** Stops Payara (SIGTERM, then kill after a bounded wait) and every process it started; deletes its temp folder. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // close() runs from a shutdown hook (the demo on Ctrl-C): the kill hook runs as well, harmlessly
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        try {
            pump.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Cleanup.deleteTree(tmpDir);
    }

    /** What to start. */
    public static final class Builder {
        private final Path workDir;
        private Path jar = Layout.payaraMicroJar();
        private Path postBootFile;
        private final List<Path> deployments = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private int httpPort;
        private Consumer<String> echo;
        private Duration startTimeout = Duration.ofSeconds(Long.getLong("it.payara.startSeconds", 180));

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        public Builder jar(Path value) {
            this.jar = value;
            return this;
        }

        public Builder postBootCommandFile(Path value) {
            this.postBootFile = value;
            return this;
        }

        public Builder deploy(Path archive) {
            deployments.add(archive);
            return this;
        }

        /** An environment variable of the Payara process (post-boot {@code ${ENV=..}}, MicroProfile Config). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** A {@code -D} JVM option of the Payara process. */
        public Builder systemProperty(String name, String value) {
            systemProperties.put(name, value);
            return this;
        }

        /**
         * The server JVM's default trust store ({@code javax.net.ssl.trustStore}, PKCS12): what a Payara mail resource
         * trusts (the connector has its own trust-store settings).
         */
        public Builder jvmTrustStore(Path pkcs12, String password) {
            return systemProperty("javax.net.ssl.trustStore", pkcs12.toString())
                    .systemProperty("javax.net.ssl.trustStorePassword", password)
                    .systemProperty("javax.net.ssl.trustStoreType", "PKCS12");
        }

        public Builder httpPort(int value) {
            this.httpPort = value;
            return this;
        }

        /** Also hands every output line to this consumer (the demo prints them). */
        public Builder echo(Consumer<String> value) {
            this.echo = value;
            return this;
        }

        public Builder startTimeout(Duration value) {
            this.startTimeout = value;
            return this;
        }

        /** Starts Payara Micro, returns once it is ready; on failure the process is gone, the log in the message. */
        public PayaraMicro start() throws IOException {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: run `mvn -pl it-tests -am package` first");
            }
            Files.createDirectories(workDir);
            Path tmp = Files.createTempDirectory(workDir, "payara-tmp");
            int port = httpPort > 0 ? httpPort : Ports.free();
            List<String> cmd = new ArrayList<>();
            cmd.add(Layout.serverJavaHome().resolve("bin/java").toString());
            cmd.add("-Xmx512m");
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-Djava.io.tmpdir=" + tmp);
            systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(jar.toString());
            cmd.add("--nocluster");
            cmd.add("--nohostaware");
            cmd.add("--port");
            cmd.add(String.valueOf(port));
            if (postBootFile != null) {
                cmd.add("--postbootcommandfile");
                cmd.add(postBootFile.toString());
            }
            for (Path archive : deployments) {
                cmd.add("--deploy");
                cmd.add(archive.toString());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(workDir.toFile());
            pb.environment().putAll(env);
            Path log = workDir.resolve("payara.log");
            long t0 = System.nanoTime();
            PayaraMicro payara = new PayaraMicro(pb.start(), log, tmp, port, echo, t0);
            payara.awaitReady(startTimeout);
            return payara;
        }
    }
}
