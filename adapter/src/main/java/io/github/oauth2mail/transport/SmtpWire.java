package io.github.oauth2mail.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket of one SMTP connection: TCP with TCP_NODELAY and timeouts, TLS with the server identity checked, CRLF
 * lines out and (multi-line) replies in, and the optional protocol trace with secret lines redacted.
 */
final class SmtpWire implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SmtpWire.class.getName());
    private static final byte[] CRLF = {'\r', '\n'};

    private final String host;
    private final int port;
    private final boolean trace;
    private final String label;
    private volatile Socket raw;
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpWire(String host, int port, boolean trace, String label) {
        this.host = host;
        this.port = port;
        this.trace = trace;
        this.label = label;
    }

    /** TCP connect; with {@code implicitTls} the TLS handshake (identity checked) is done before returning. */
    static SmtpWire connect(String host, int port, SSLSocketFactory implicitTls, Duration connectTimeout,
                            Duration readTimeout, boolean trace, String label) throws IOException {
        SmtpWire w = new SmtpWire(host, port, trace, label);
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(millis(readTimeout));
            s.connect(new InetSocketAddress(host, port), millis(connectTimeout));
            w.raw = s;
            w.use(s);
            if (implicitTls != null) {
                w.startTls(implicitTls);
            }
            return w;
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /** Layers TLS over the open socket and checks the server's certificate against the host name (or IP). */
    void startTls(SSLSocketFactory tls) throws IOException {
        if (in.available() > 0) {
            // anything after the STARTTLS reply was sent in clear by someone: never read it as if it were protected
            throw new IOException("SMTP server " + host + ":" + port + " sent data after its STARTTLS reply");
        }
        SSLSocket ssl = TlsLayer.over(socket, tls, host, port);
        use(ssl);
        trace("TLS " + ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite());
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** Sends one command line and reads the reply. */
    SmtpReply command(String line) throws IOException {
        writeLine(line, line);
        return readReply();
    }

    /** Sends a line whose content is secret (SASL responses); the trace shows {@code shown} instead. */
    SmtpReply secretCommand(String line, String shown) throws IOException {
        writeLine(line, shown);
        return readReply();
    }

    private void writeLine(String line, String shown) throws IOException {
        queue(line, shown);
        out.flush();
    }

    /** Buffers a command line without sending it (PIPELINING); {@link #flush()} sends the batch. */
    void queue(String line, String shown) throws IOException {
        trace("C: " + shown);
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    void flush() throws IOException {
        out.flush();
    }

    SmtpReply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        int code;
        while (true) {
            String l = readLine();
            trace("S: " + l);
            if (l.length() < 3 || !isDigits(l.substring(0, 3)) || (l.length() > 3 && l.charAt(3) != ' '
                    && l.charAt(3) != '-')) {
                throw new IOException("malformed SMTP reply from " + host + ":" + port + ": " + abbreviate(l));
            }
            code = Integer.parseInt(l.substring(0, 3));
            lines.add(l);
            if (l.length() == 3 || l.charAt(3) == ' ') {
                return new SmtpReply(code, lines);
            }
        }
    }

    private String readLine() throws IOException {
        return CrlfLines.read(in, "SMTP server " + host + ":" + port);
    }

    /** The raw stream for the message data (buffered; the caller flushes). */
    OutputStream dataOut() {
        return out;
    }

    void setReadTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout(millis(timeout));
    }

    void trace(String s) {
        if (trace && LOG.isLoggable(Level.FINE)) {
            LOG.fine("OAM200 " + label + " " + s);
        }
    }

    boolean isTracing() {
        return trace;
    }

    boolean isClosed() {
        return socket == null || socket.isClosed() || raw.isClosed();
    }

    /** Orderly close (TLS close_notify); only when no other thread is using the connection. */
    @Override
    public void close() {
        closeQuietly(socket);
        closeQuietly(raw);
    }

    /**
     * Closes the TCP socket under TLS at once, from any thread: a writer blocked on a full send buffer holds the TLS
     * write lock, so an orderly TLS close would wait for it; closing the TCP socket makes the blocked write fail.
     */
    void abort() {
        closeQuietly(raw);
        closeQuietly(socket);
    }

    static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(Level.FINEST, "closing socket", e);
            }
        }
    }

    private static boolean isDigits(String s) {
        return s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
