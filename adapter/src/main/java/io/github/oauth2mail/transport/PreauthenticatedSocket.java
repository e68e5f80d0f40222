package io.github.oauth2mail.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The socket {@link ImapSocketFactory} hands to the Jakarta Mail implementation's IMAP store: {@code connect} opens
 * and authenticates the connection with {@link ImapLogin}; the store then reads an IMAP {@code PREAUTH} greeting
 * (RFC 3501 7.1.4), so it skips its own login and speaks IMAP over the authenticated (TLS) connection. Everything
 * else is delegated to the TLS socket ({@link StoreSocket}).
 */
final class PreauthenticatedSocket extends StoreSocket<ImapLogin.Result> {

    private volatile InputStream in;

    PreauthenticatedSocket(Login<ImapLogin.Result> login) {
        super(login);
    }

    @Override
    void attach(ImapLogin.Result r) {
        String greeting = "* PREAUTH " + (r.capabilities == null ? "" : "[CAPABILITY " + r.capabilities + "] ")
                + (r.raw instanceof RefusedImapSocket ? "not connected: the next line says why"
                : "authenticated by the OAuth2 mail adapter") + "\r\n";
        in = new SequenceInputStream(new ByteArrayInputStream(greeting.getBytes(StandardCharsets.US_ASCII)), r.in) {
            private int prefix = greeting.length();

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (prefix > 0 && c >= 0) {
                    prefix--;
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (prefix > 0 && n > 0) {
                    prefix -= Math.min(prefix, n);
                }
                return n;
            }

            @Override
            public int available() throws IOException {
                return prefix > 0 ? prefix : r.in.available();
            }
        };
    }

    @Override
    public InputStream getInputStream() throws IOException {
        connected();
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return connected().socket.getOutputStream();
    }

    @Override
    Socket socket(ImapLogin.Result r) {
        return r.socket;
    }

    @Override
    Socket tcp(ImapLogin.Result r) {
        return r.raw;
    }

    @Override
    boolean isClosed(ImapLogin.Result r) {
        return r.raw.isClosed();
    }

    @Override
    void discard(ImapLogin.Result r) {
        SmtpWire.closeQuietly(r.raw);
        SmtpWire.closeQuietly(r.socket);
    }

    @Override
    void release(ImapLogin.Result r) {
        SmtpWire.closeQuietly(r.socket);
        SmtpWire.closeQuietly(r.raw);
    }
}
