package io.github.oauth2mail.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The streams the Jakarta Mail implementation's POP3 store gets for a connection {@link Pop3Login} has already
 * authenticated. POP3 has no pre-authenticated greeting (RFC 1939), so the store is told {@code +OK} where it expects
 * it: a synthetic greeting, and synthetic {@code +OK}s to its {@code USER} and {@code PASS} (the store is configured
 * for that login only, with a dummy password), which never reach the server. Every other line goes to the server,
 * which is in the TRANSACTION state. With {@code mail-debug=true} the store's commands are traced at FINE (the
 * {@link LineChannel}'s trace); the server's replies are not, so no message content reaches the log.
 */
final class Pop3Handover {

    /** The longest command line accepted before the login is replayed (the store's are far shorter). */
    static final int MAX_COMMAND = 1024;
    /** How much of a command line the trace shows. */
    private static final int MAX_TRACED = 200;
    private static final String GREETING = "+OK authenticated by the OAuth2 mail adapter";

    private final LineChannel channel;
    private final InputStream serverIn;
    private final OutputStream serverOut;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Object replies = new Object();
    private byte[] pending = new byte[0];
    private int pendingPos;
    private boolean userSeen;
    private boolean loggedIn;

    final InputStream in = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            synchronized (replies) {
                int n = Math.min(len, pending.length - pendingPos);
                if (n > 0) {
                    System.arraycopy(pending, pendingPos, b, off, n);
                    pendingPos += n;
                    return n;
                }
            }
            return serverIn.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            synchronized (replies) {
                if (pendingPos < pending.length) {
                    return pending.length - pendingPos;
                }
            }
            return serverIn.available();
        }
    };

    final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            commands(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            serverOut.flush();
        }
    };

    Pop3Handover(LineChannel channel, InputStream serverIn, OutputStream serverOut) {
        this.channel = channel;
        this.serverIn = serverIn;
        this.serverOut = serverOut;
        reply(GREETING);
        channel.trace("S: " + GREETING + " (to the POP3 provider, from the adapter)");
    }

    private synchronized void commands(byte[] b, int off, int len) throws IOException {
        int forwardFrom = off;
        for (int i = off; i < off + len; i++) {
            if (loggedIn) {
                if (line.size() < MAX_TRACED) {
                    line.write(b[i]);
                }
                if (b[i] == '\n') {
                    channel.trace("C: " + shown(takeLine()));
                }
                continue;
            }
            if (line.size() >= MAX_COMMAND) {
                throw new IOException("the POP3 provider sent a command line longer than " + MAX_COMMAND
                        + " bytes before its login");
            }
            line.write(b[i]);
            forwardFrom = i + 1;
            if (b[i] == '\n') {
                beforeLogin();
            }
        }
        if (loggedIn && forwardFrom < off + len) {
            serverOut.write(b, forwardFrom, off + len - forwardFrom);
        }
    }

    /** A complete line the store sent before its login was answered: USER and PASS are answered here. */
    private void beforeLogin() throws IOException {
        byte[] raw = line.toByteArray();
        String command = takeLine();
        String upper = command.toUpperCase(Locale.ROOT);
        if (!userSeen && upper.startsWith("USER ")) {
            userSeen = true;
            channel.trace("C: " + command + " (answered by the adapter: already authenticated)");
            reply("+OK");
        } else if (userSeen && (upper.startsWith("PASS ") || upper.equals("PASS"))) {
            loggedIn = true;
            channel.trace("C: PASS <redacted> (answered by the adapter: already authenticated)");
            reply("+OK");
        } else {
            channel.trace("C: " + shown(command));
            serverOut.write(raw);
        }
    }

    private String takeLine() {
        String s = new String(line.toByteArray(), StandardCharsets.ISO_8859_1);
        line.reset();
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** A command as the trace shows it: arguments of commands that may carry credentials redacted. */
    private static String shown(String command) {
        String verb = command.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        boolean secret = verb.equals("PASS") || verb.equals("AUTH") || verb.equals("APOP");
        return secret && command.length() > verb.length() ? verb + " <redacted>" : command;
    }

    private void reply(String text) {
        byte[] r = (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
        synchronized (replies) {
            byte[] rest = new byte[pending.length - pendingPos + r.length];
            System.arraycopy(pending, pendingPos, rest, 0, pending.length - pendingPos);
            System.arraycopy(r, 0, rest, pending.length - pendingPos, r.length);
            pending = rest;
            pendingPos = 0;
        }
    }
}
