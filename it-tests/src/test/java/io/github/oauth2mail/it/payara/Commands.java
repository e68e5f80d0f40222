package io.github.oauth2mail.it.payara;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs admin commands (asadmin, bash blocks) to their end, bounded, with their output in a file of their own. */
final class Commands {

    private Commands() {
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} added; stdout and stderr go to {@code log}. Fails with the
     * output's tail when it does not end within {@code timeout} (then it and its children are killed) or exits non-zero.
     */
    static String run(List<String> command, Path dir, Map<String, String> env, Path log, Duration timeout)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(command.get(0) + " did not end within " + timeout + "; log: " + log
                        + "\n" + tail(log));
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
                    + " failed (exit " + process.exitValue() + "); log: " + log + "\n" + tail(log));
        }
        return read(log);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            // a log file may be rotated away while it is read
            return "";
        }
    }

    static String tail(Path log) {
        String all = read(log);
        return all.length() <= 4000 ? all : "..." + all.substring(all.length() - 4000);
    }
}
