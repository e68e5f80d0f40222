package io.github.oauth2mail.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * What {@link ImapSocketFactory} hands the IMAP provider for a folder connection that could not be opened (after its
 * one retry): a socket with no network connection behind it, whose input is one untagged {@code * BYE <reason>} line
 * and then end of stream, and whose output discards what the provider writes.
 * <p>
 * Why: the IMAP provider (Angus Mail's {@code IMAPStore.getProtocol}) catches every exception from opening a folder's
 * connection and throws {@code MessagingException("connection failure")} without a cause, so the adapter's reason
 * never reaches the application. The one channel it keeps is the server's reply: behind the {@code PREAUTH} greeting
 * of {@link PreauthenticatedSocket} it sends SELECT (or EXAMINE), reads this {@code BYE}, disconnects, does not pool
 * the connection, and throws a {@code MessagingException} whose message is the {@code BYE} line, i.e. the adapter's
 * {@code OAMnnn} reason. The reason is one line of printable ASCII, at most {@value #MAX_REASON} characters, so no
 * text in it can make a second IMAP line; it comes from a {@link StoreLoginException}, which never holds a token.
 */
final class RefusedImapSocket extends Socket {

    /** The longest reason sent (the provider reads the line unbounded: the adapter bounds it). */
    static final int MAX_REASON = 900;
    /** The only capability announced: no STARTTLS, COMPRESS or ENABLE, so the provider sends nothing before SELECT. */
    static final String CAPABILITIES = "IMAP4rev1";

    private final InputStream in;
    private final OutputStream out;
    private volatile boolean closed;
    private int soTimeout;

    private RefusedImapSocket(String reason) {
        byte[] bye = ("* BYE " + reasonLine(reason) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.in = new ByteArrayInputStream(bye) {
            @Override
            public synchronized int read() {
                return closed ? -1 : super.read();
            }

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return closed ? -1 : super.read(b, off, len);
            }

            @Override
            public synchronized int available() {
                return closed ? 0 : super.available();
            }
        };
        this.out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                open();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                open();
            }
        };
    }

    /** The authenticated-looking connection {@link PreauthenticatedSocket} hands over for {@code failure}. */
    static ImapLogin.Result result(StoreLoginException failure) {
        RefusedImapSocket s = new RefusedImapSocket(failure.getMessage());
        return new ImapLogin.Result(s, s, s.in, CAPABILITIES);
    }

    /**
     * {@code reason} as the text of one IMAP line: control characters become spaces, non-ASCII {@code ?}, at most
     * {@value #MAX_REASON} characters, never ending in {@code }} (which the provider would read as a literal's length).
     */
    static String reasonLine(String reason) {
        String r = reason == null ? "" : reason;
        StringBuilder b = new StringBuilder(Math.min(r.length(), MAX_REASON));
        for (int i = 0; i < r.length() && b.length() < MAX_REASON; i++) {
            char c = r.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c > 0x7e ? '?' : c);
        }
        String line = b.toString().trim();
        if (line.isEmpty()) {
            return "the OAuth2 mail adapter could not open the connection";
        }
        return line.endsWith("}") ? line.substring(0, line.length() - 1) + ")" : line;
    }

    private void open() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        open();
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        open();
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean isBound() {
        return false;
    }

    @Override
    public synchronized void setSoTimeout(int timeout) {
        soTimeout = timeout;
    }

    @Override
    public synchronized int getSoTimeout() {
        return soTimeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // no network connection
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {
        // no network connection
    }

    @Override
    public boolean getKeepAlive() {
        return false;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
        // no network connection
    }

    @Override
    public int getSoLinger() {
        return -1;
    }

    @Override
    public void shutdownInput() {
        // nothing to shut down: close() ends both streams
    }

    @Override
    public void shutdownOutput() {
        // nothing to shut down: close() ends both streams
    }

    @Override
    public boolean isInputShutdown() {
        return closed;
    }

    @Override
    public boolean isOutputShutdown() {
        return closed;
    }

    @Override
    public InetAddress getInetAddress() {
        return null;
    }

    @Override
    public int getPort() {
        return 0;
    }

    @Override
    public InetAddress getLocalAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public int getLocalPort() {
        return -1;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return null;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return null;
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public String toString() {
        return "RefusedImapSocket[no connection" + (closed ? ", closed" : "") + "]";
    }
}
