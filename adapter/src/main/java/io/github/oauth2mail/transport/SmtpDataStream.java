package io.github.oauth2mail.transport;

import jakarta.mail.util.LineOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The DATA body: every CR, LF or CRLF becomes CRLF, a '.' at the start of a line is doubled (RFC 5321 4.5.2), and
 * {@link #finish()} ends the last line and writes the terminating {@code .}. Closing it does not close the socket.
 *
 * <p>It buffers what it writes and hands the socket stream whole chunks: Jakarta Mail writes a text part through
 * Angus's {@code text_plain} handler, whose wrapper stream (a plain {@code FilterOutputStream}) turns every chunk
 * into single-byte {@link #write(int)} calls; unbuffered, each byte was a call chain down to the socket's
 * synchronized {@code BufferedOutputStream}. Nothing reaches the socket stream before the buffer fills, or
 * {@link #flush()} or {@link #finish()}.
 *
 * <p>It is a Jakarta Mail {@link LineOutputStream}, so {@code MimeMessage.writeTo} writes the header lines straight
 * to it instead of asking {@code StreamProvider.provider()} for a line stream: that lookup goes through
 * {@code ServiceLoader} on every call in Jakarta Mail 2.1 (jar scans; tens of microseconds per message, more in a
 * server's class loader hierarchy). The bytes are the ones Angus's line stream writes there ({@link HeaderLineBytes}).
 */
final class SmtpDataStream extends OutputStream implements LineOutputStream {

    private static final int BUFFER = 8 * 1024;

    private final OutputStream socket;
    private final byte[] buf = new byte[BUFFER];
    private int count;
    private boolean failed;
    private boolean atLineStart = true;
    private int last = -1;

    SmtpDataStream(OutputStream socketOut) {
        this.socket = socketOut;
    }

    /** True when an I/O error came from the socket (not from the message's own content, e.g. an attachment). */
    boolean socketFailed() {
        return failed;
    }

    @Override
    public void write(int b) throws IOException {
        if (count > BUFFER - 3) {
            drain();
        }
        b &= 0xff;
        if (b == '\r') {
            buf[count++] = '\r';
            buf[count++] = '\n';
            atLineStart = true;
        } else if (b == '\n') {
            if (last != '\r') {
                buf[count++] = '\r';
                buf[count++] = '\n';
            }
            atLineStart = true;
        } else {
            if (atLineStart && b == '.') {
                buf[count++] = '.';
            }
            buf[count++] = (byte) b;
            atLineStart = false;
        }
        last = b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n' || (atLineStart && c == '.')) {
                put(b, start, i - start);
                write(c);
                start = i + 1;
            } else {
                atLineStart = false;
                last = c & 0xff;
            }
        }
        put(b, start, end - start);
    }

    @Override
    public void writeln(String line) throws IOException {
        byte[] b = HeaderLineBytes.of(line);
        write(b, 0, b.length);
        writeln();
    }

    @Override
    public void writeln() throws IOException {
        write('\r');
        write('\n');
    }

    /** Appends bytes that need no conversion. */
    private void put(byte[] b, int off, int len) throws IOException {
        if (len > BUFFER - count) {
            drain();
            if (len >= BUFFER) {
                toSocket(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** Ends the data: CRLF if the last line is open, then {@code .CRLF}, and flushes. */
    void finish() throws IOException {
        if (count > BUFFER - 5) {
            drain();
        }
        if (!atLineStart) {
            buf[count++] = '\r';
            buf[count++] = '\n';
        }
        buf[count++] = '.';
        buf[count++] = '\r';
        buf[count++] = '\n';
        flush();
    }

    @Override
    public void flush() throws IOException {
        drain();
        try {
            socket.flush();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void drain() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            toSocket(buf, 0, n);
        }
    }

    private void toSocket(byte[] b, int off, int len) throws IOException {
        try {
            socket.write(b, off, len);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }
}
