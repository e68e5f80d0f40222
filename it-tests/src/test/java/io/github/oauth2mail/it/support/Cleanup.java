package io.github.oauth2mail.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the ITs do when they tidy up: delete a work folder, close the parts of a fixture. */
public final class Cleanup {

    private Cleanup() {
    }

    /** Deletes {@code dir} and everything in it (nothing when it does not exist). */
    public static void deleteTree(Path dir) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes each non-null part in order; a failure is printed and the next part is still closed. */
    public static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable c : parts) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
    }
}
