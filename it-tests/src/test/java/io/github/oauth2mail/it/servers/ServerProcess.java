package io.github.oauth2mail.it.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child process (an application server, or its admin CLI) whose whole output goes to a file and stays readable, with
 * a bounded wait for a line that says it is ready. {@link #close()} ends the process and every descendant (the server
 * scripts start the server JVM as a child), also when the test JVM ends without calling it.
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Predicate<String> readyLine;
    private final Thread pump;
    private final Thread killOnExit;
    private final long startNanos = System.nanoTime();
    private volatile long readyMillis = -1;

    private ServerProcess(String name, Process process, Path logFile, Predicate<String> readyLine) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.readyLine = readyLine;
        this.pump = new Thread(this::pump, name + "-output");
        this.pump.setDaemon(true);
        this.pump.start();
        this.killOnExit = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, name + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts {@code command} in {@code dir} with {@code env} added; output (stdout + stderr) to {@code logFile}. */
    static ServerProcess start(String name, List<String> command, Path dir, Map<String, String> env, Path logFile,
            Predicate<String> readyLine) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new ServerProcess(name, pb.start(), logFile, readyLine);
    }

    /** Runs a command to its end (bounded) and returns its output; fails with the output when the exit code is not 0. */
    static String run(String name, List<String> command, Path dir, Map<String, String> env, Path logFile,
            Duration timeout) throws IOException {
        try (ServerProcess p = start(name, command, dir, env, logFile, line -> false)) {
            try {
                if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(name + " did not end within " + timeout + "; log: " + logFile);
                }
                p.pump.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + name, e);
            }
            if (p.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + p.process.exitValue() + "); log: " + logFile
                        + "\n" + p.tail());
            }
            return p.output();
        }
    }

    /** Waits (bounded) for the ready line; on failure the process is ended and the message has the output's tail. */
    String awaitReady(Duration timeout) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException(name + " not ready after " + timeout + "; log: " + logFile + "\n" + tail(), e);
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException(name + " failed to start; log: " + logFile + "\n" + tail(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while " + name + " was starting", e);
        }
    }

    String output() {
        return output.toString();
    }

    Path logFile() {
        return logFile;
    }

    long readyMillis() {
        return readyMillis;
    }

    String tail() {
        String all = output.toString();
        return all.length() <= 6000 ? all : "..." + all.substring(all.length() - 6000);
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                file.write(line);
                file.write('\n');
                file.flush();
                if (!ready.isDone() && readyLine.test(line)) {
                    readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(new UncheckedIOException(e));
        }
        ready.completeExceptionally(new IllegalStateException(name + " ended before it was ready"));
    }

    /** Ends the process (SIGTERM, then kill after a bounded wait) and every process it started. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the kill hook runs as well
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : descendants) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // forced below
        } finally {
            process.destroyForcibly();
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        try {
            pump.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
