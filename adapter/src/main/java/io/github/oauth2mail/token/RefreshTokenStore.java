package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The refresh token of a {@code refresh_token} resource: in memory, and in {@code refresh-token-file} when set, so a
 * token the server rotates survives a restart. At start an existing, non-empty file wins over {@code refresh-token}
 * (it holds the newest token). Each rotation rewrites the file atomically: a temporary file in the same folder,
 * created owner-only ({@code rw-------} where the file system has POSIX permissions), then moved over the old one with
 * {@code ATOMIC_MOVE}. A failed write is logged (OAM122, never the token) and the token is kept in memory. Shared by
 * the sources a reload builds, so a rebuilt source keeps the rotated token.
 */
final class RefreshTokenStore {

    private static final Logger LOG = Logger.getLogger(RefreshTokenStore.class.getName());
    private static final int MAX_FILE_BYTES = 64 * 1024;

    private final ConnectorSettings settings;
    private final Path file;
    private String value; // guarded by this; never logged

    private RefreshTokenStore(ConnectorSettings settings, Path file, String value) {
        this.settings = settings;
        this.file = file;
        this.value = value;
    }

    /** The token from the file when it exists and is not empty, else {@code refresh-token}. */
    static RefreshTokenStore open(ConnectorSettings s) {
        Path file = s.refreshTokenFile().orElse(null);
        String fromFile = file == null ? null : read(s, file);
        if (fromFile != null) {
            return new RefreshTokenStore(s, file, fromFile);
        }
        RefreshTokenStore store = new RefreshTokenStore(s, file,
                s.refreshToken().orElseThrow(() -> new IllegalStateException("no refresh token")).reveal());
        if (file != null) {
            store.write(store.value); // from now on the file holds the token in use
        }
        return store;
    }

    synchronized String current() {
        return value;
    }

    /** The server returned a new refresh token: use it from now on, and keep it in the file. */
    synchronized void rotated(String newValue) {
        if (newValue == null || newValue.equals(value)) {
            return;
        }
        value = newValue;
        write(newValue);
    }

    /** An admin put a new value into {@code refresh-token} (seen by a reload): it replaces the one in use. */
    synchronized void configured(String newValue) {
        value = newValue;
        if (file != null) {
            write(newValue);
        }
    }

    private void write(String token) {
        if (file == null) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            tmp = posix ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.log(Level.WARNING, MessageId.REFRESH_TOKEN_FILE_UNWRITABLE.message("Connector resource '"
                    + settings.name() + "': cannot write the new refresh token to " + file + " ("
                    + e.getClass().getSimpleName() + "); it is used from memory, but a restart would fall back to an "
                    + "older one: check " + settings.key(Setting.REFRESH_TOKEN_FILE) + " and its folder's permissions"));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file holds no more than the file itself would
                }
            }
        }
    }

    /** The file's token (first line, trimmed), or null when missing, empty or unreadable (logged). */
    private static String read(ConnectorSettings s, Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            int nl = text.indexOf('\n');
            String token = (nl < 0 ? text : text.substring(0, nl)).trim();
            return token.isEmpty() ? null : token;
        } catch (IOException e) {
            LOG.log(Level.WARNING, MessageId.REFRESH_TOKEN_FILE_UNWRITABLE.message("Connector resource '" + s.name()
                    + "': cannot read " + file + " (" + e.getClass().getSimpleName() + "); using "
                    + s.key(Setting.REFRESH_TOKEN)));
            return null;
        }
    }

    @Override
    public String toString() {
        return "RefreshTokenStore[" + settings.name() + (file == null ? ", memory" : ", " + file) + "]";
    }
}
