package io.github.oauth2mail.transport;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The DATA body: every CR, LF or CRLF becomes CRLF, a '.' at the start of a line is doubled (RFC 5321 4.5.2), and
 * {@link #finish()} ends the last line and writes the terminating {@code .}. Closing it does not close the socket.
 */
final class SmtpDataStream extends FilterOutputStream {

    private final SocketOut socket;
    private boolean atLineStart = true;
    private int last = -1;

    SmtpDataStream(OutputStream socketOut) {
        this(new SocketOut(socketOut));
    }

    private SmtpDataStream(SocketOut socket) {
        super(socket);
        this.socket = socket;
    }

    /** True when an I/O error came from the socket (not from the message's own content, e.g. an attachment). */
    boolean socketFailed() {
        return socket.failed;
    }

    @Override
    public void write(int b) throws IOException {
        b &= 0xff;
        if (b == '\r') {
            out.write('\r');
            out.write('\n');
            atLineStart = true;
        } else if (b == '\n') {
            if (last != '\r') {
                out.write('\r');
                out.write('\n');
            }
            atLineStart = true;
        } else {
            if (atLineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
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
                out.write(b, start, i - start);
                write(c);
                start = i + 1;
            } else {
                atLineStart = false;
                last = c & 0xff;
            }
        }
        out.write(b, start, end - start);
    }

    /** Ends the data: CRLF if the last line is open, then {@code .CRLF}, and flushes. */
    void finish() throws IOException {
        if (!atLineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    /** Remembers whether writing to the socket failed. */
    private static final class SocketOut extends FilterOutputStream {
        private boolean failed;

        SocketOut(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
