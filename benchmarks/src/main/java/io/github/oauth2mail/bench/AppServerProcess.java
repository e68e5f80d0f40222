package io.github.oauth2mail.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A server started through its launcher script (WildFly's {@code standalone.sh}, Liberty's {@code server run}, whose
 * JVM is a child of the script): its whole output goes to a log file, {@link #awaitLine} waits (bounded) for a line,
 * {@link #close} ends the script and every descendant (SIGTERM first, so a JFR recording is written; kill after 30 s),
 * also when this JVM ends without calling it. A copy of the it-tests' launcher logic, kept minimal.
 */
final class AppServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final StringBuffer output = new StringBuffer();
    private final Thread killOnExit;
    private volatile CompletableFuture<String> waiting = new CompletableFuture<>();
    private volatile Predicate<String> wanted = line -> false;

    private AppServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.killOnExit = new Thread(this::stop, "server-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        Thread pump = new Thread(this::pump, "server-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code command} in {@code dir} with {@code env} added; stdout and stderr go to {@code log}. */
    static AppServerProcess start(List<String> command, Path dir, Map<String, String> env, Path log)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new AppServerProcess(pb.start(), log);
    }

    /** Runs {@code command} to its end (at most {@code seconds}) and returns its output; fails unless it exits 0. */
    static String run(List<String> command, Path dir, Map<String, String> env, Path log, int seconds)
            throws IOException, InterruptedException {
        try (AppServerProcess p = start(command, dir, env, log)) {
            if (!p.process.waitFor(seconds, TimeUnit.SECONDS) || p.process.exitValue() != 0) {
                throw new IOException(command.get(1) + " failed or took longer than " + seconds + " s; log: " + log);
            }
            return p.output();
        }
    }

    /**
     * Waits at most {@code seconds} for an output line (already printed or still to come) that {@code line} accepts
     * and returns it; on failure throws with the log's location.
     */
    String awaitLine(Predicate<String> line, int seconds) throws IOException {
        synchronized (this) {
            for (String l : output.toString().split("\n")) {
                if (line.test(l)) {
                    return l;
                }
            }
            waiting = new CompletableFuture<>();
            wanted = line;
        }
        try {
            return waiting.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("no such line within " + seconds + " s (log: " + log + "): " + e, e);
        }
    }

    String output() {
        return output.toString();
    }

    long pid() {
        return process.pid();
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                file.write(line);
                file.write('\n');
                file.flush();
                synchronized (this) {
                    output.append(line).append('\n');
                    if (wanted.test(line)) {
                        waiting.complete(line);
                    }
                }
            }
        } catch (IOException e) {
            waiting.completeExceptionally(e);
        }
        waiting.completeExceptionally(new IOException("the process ended"));
    }

    private void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            for (ProcessHandle p : descendants) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // forced below
        } finally {
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        stop();
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
