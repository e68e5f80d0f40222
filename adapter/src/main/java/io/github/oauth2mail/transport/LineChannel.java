package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MessageId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The line channel under SMTP and IMAP: TCP with TCP_NODELAY, TLS (identity checked) that refuses anything buffered
 * before it, CRLF lines out and in, the redacted trace, close and abort. A reply (all lines read between two
 * {@link #beginReply()} calls) is bounded in lines, bytes and time: {@code read-timeout-ms} for the whole reply, not per
 * read, so a server that trickles cannot hold the caller. Reads are buffered here (no per-byte stream calls).
 */
final class LineChannel implements AutoCloseable {

    /** Generous: a 5,000-line EHLO and a 60 KB line are legitimate; a reply past these is not. */
    static final int MAX_REPLY_LINES = 10_000;
    static final int MAX_REPLY_BYTES = 1024 * 1024;
    static final int MAX_LINE = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final String peer;
    private final Logger log;
    private final String traceId;
    private final String label;
    private final boolean trace;
    private final byte[] buf = new byte[8192];
    private volatile Socket raw;
    private volatile Socket socket;
    private volatile long lastWrite;
    private InputStream in;
    private OutputStream out;
    private int pos;
    private int lim;
    private Duration readTimeout;
    private int soTimeout = -1;
    private long deadline;
    private int replyLines;
    private int replyBytes;
    private String stage = "connect";

    private LineChannel(String peer, Duration readTimeout, boolean trace, Logger log, String traceId, String label) {
        this.peer = peer;
        this.readTimeout = readTimeout;
        this.trace = trace;
        this.log = log;
        this.traceId = traceId;
        this.label = label;
    }

    /** TCP connect; {@code peer} names the server in errors ({@code SMTP server host:port}). */
    static LineChannel connect(String peer, String host, int port, Duration connectTimeout, Duration readTimeout,
                               boolean trace, Logger log, String traceId, String label) throws IOException {
        LineChannel c = new LineChannel(peer, readTimeout, trace, log, traceId, label);
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(millis(readTimeout.toNanos()));
            s.connect(new InetSocketAddress(host, port), millis(connectTimeout.toNanos()));
            c.raw = s;
            c.use(s);
            return c;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(s);
            throw e;
        }
    }

    /**
     * TLS over the open socket, the server's certificate checked against {@code host}. With {@code afterStartTls},
     * anything the server sent after its STARTTLS reply came in clear from someone: refused, never read as protected.
     */
    void startTls(SSLSocketFactory tls, String host, int port, boolean afterStartTls) throws IOException {
        if (afterStartTls && (lim > pos || in.available() > 0)) {
            throw new WireFault(MessageId.REPLY_MALFORMED, peer
                    + " sent data after its STARTTLS reply (someone in between?); connection "
                    + "discarded");
        }
        pos = 0;
        lim = 0;
        SSLSocket ssl = TlsLayer.over(socket, tls, host, port);
        use(ssl);
        trace("TLS " + ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite());
    }

    private void use(Socket s) throws IOException {
        socket = s;
        soTimeout = s.getSoTimeout();
        in = s.getInputStream();
        OutputStream sockOut = s.getOutputStream();
        out = new java.io.BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                sockOut.write(b);
                lastWrite = System.nanoTime();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sockOut.write(b, off, len);
                lastWrite = System.nanoTime();
            }

            @Override
            public void flush() throws IOException {
                sockOut.flush();
            }
        }, 16 * 1024);
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** What the next reply is read for, e.g. {@code EHLO}; named in errors. */
    void stage(String s) {
        stage = s;
    }

    String stage() {
        return stage;
    }

    String peer() {
        return peer;
    }

    /** Starts a new reply: its line, byte and time bounds start from zero. */
    void beginReply() {
        beginReply(0);
    }

    /** Starts a new reply that may take {@code graceNanos} longer than {@code read-timeout-ms}. */
    void beginReply(long graceNanos) {
        deadline = System.nanoTime() + readTimeout.toNanos() + graceNanos;
        replyLines = 0;
        replyBytes = 0;
    }

    /** Buffers a line (CRLF appended); the trace shows {@code shown} (secret lines pass a redacted form). */
    void queue(String line, String shown) throws IOException {
        trace("C: " + shown);
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The raw buffered stream (message data); the caller flushes. */
    OutputStream dataOut() {
        return out;
    }

    /** {@link System#nanoTime()} when the socket last accepted bytes (or when this was called with {@code now}). */
    long lastWrite() {
        return lastWrite;
    }

    void markWriteProgress() {
        lastWrite = System.nanoTime();
    }

    /** The next line of the current reply, without its CRLF; the reply's bounds are checked. */
    String readLine() throws IOException {
        ByteArrayOutputStream spill = null;
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int n = i - pos;
                    count(n + 1, spill);
                    byte[] bytes = buf;
                    int from = pos;
                    if (spill != null) {
                        spill.write(buf, pos, n);
                        bytes = spill.toByteArray();
                        from = 0;
                        n = bytes.length;
                    }
                    pos = i + 1;
                    if (++replyLines > MAX_REPLY_LINES) {
                        throw bound("more than " + MAX_REPLY_LINES + " lines");
                    }
                    int len = n > 0 && bytes[from + n - 1] == '\r' ? n - 1 : n;
                    return new String(bytes, from, len, StandardCharsets.UTF_8);
                }
            }
            int n = lim - pos;
            if (n > 0) {
                count(n, spill);
                if (spill == null) {
                    spill = new ByteArrayOutputStream(Math.max(256, 2 * n));
                }
                spill.write(buf, pos, n);
            }
            pos = 0;
            lim = 0;
            fill();
        }
    }

    private void count(int n, ByteArrayOutputStream spill) throws WireFault {
        replyBytes += n;
        if (replyBytes > MAX_REPLY_BYTES) {
            throw bound("more than " + MAX_REPLY_BYTES + " bytes");
        }
        if ((spill == null ? 0 : spill.size()) + n > MAX_LINE + 2) {
            throw bound("a line longer than " + MAX_LINE + " bytes");
        }
    }

    private WireFault bound(String what) {
        return new WireFault(MessageId.REPLY_BOUND_EXCEEDED, peer + " sent " + what + " in one reply (" + stage
                + "); the limit is "
                + MAX_REPLY_LINES + " lines, " + MAX_REPLY_BYTES + " bytes, " + MAX_LINE + " bytes a line; "
                + "connection discarded");
    }

    private void fill() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timeout(null);
        }
        int ms = millis(left);
        if (ms != soTimeout) {
            socket.setSoTimeout(ms);
            soTimeout = ms;
        }
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (SocketTimeoutException e) {
            throw timeout(e);
        }
        if (n < 0) {
            throw new EOFException(peer + " closed the connection (" + stage + ")");
        }
        lim = n;
    }

    private SocketTimeoutException timeout(SocketTimeoutException cause) {
        SocketTimeoutException e = new SocketTimeoutException(peer + " did not complete its reply (" + stage
                + ") within " + readTimeout.toMillis() + " ms (read-timeout-ms)");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /**
     * Non-blocking: whether the server sent anything that no command asked for (a late reply, a 421, a close). Any
     * such bytes stay buffered; {@link #unsolicited()} shows them. TLS counts only decrypted bytes, so bytes waiting
     * on the TCP socket under it (possibly a TLS session ticket, not data) are confirmed with a 1 ms read.
     */
    boolean hasUnsolicitedData() throws IOException {
        if (lim > pos || in.available() > 0) {
            return true;
        }
        if (socket == raw || raw.getInputStream().available() == 0) {
            return false;
        }
        socket.setSoTimeout(1);
        soTimeout = 1;
        try {
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                return true;
            }
            lim += n;
            return n > 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** The buffered unsolicited bytes, printable and abbreviated (for a FINE log line). */
    String unsolicited() {
        String s = new String(buf, pos, lim - pos, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").trim();
        return lim == pos ? "<end of stream>" : abbreviate(s) + " (" + (lim - pos) + " bytes)";
    }

    /** The socket's input positioned after the last line read (for the IMAP store that takes the connection over). */
    InputStream remainingInput() throws IOException {
        socket.setSoTimeout(millis(readTimeout.toNanos()));
        soTimeout = -1;
        InputStream rest = new ByteArrayInputStream(buf, pos, lim - pos);
        pos = lim;
        return new SequenceInputStream(rest, in);
    }

    Socket rawSocket() {
        return raw;
    }

    Socket socket() {
        return socket;
    }

    void setReadTimeout(Duration timeout) {
        readTimeout = timeout;
    }

    void trace(String s) {
        if (trace && log.isLoggable(Level.FINE)) {
            log.fine(traceId + " " + label + " " + s);
        }
    }


    boolean isClosed() {
        Socket s = socket;
        return s == null || s.isClosed() || raw.isClosed();
    }

    /** Orderly close (TLS close_notify); only when no other thread is using the channel. */
    @Override
    public void close() {
        closeQuietly(socket);
        closeQuietly(raw);
    }

    /** Closes the TCP socket under TLS at once, from any thread (a blocked writer holds the TLS write lock). */
    void abort() {
        closeQuietly(raw);
        closeQuietly(socket);
    }

    static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                Logger.getLogger(LineChannel.class.getName()).log(Level.FINEST, "closing socket", e);
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static int millis(long nanos) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (nanos + 999_999) / 1_000_000));
    }
}
