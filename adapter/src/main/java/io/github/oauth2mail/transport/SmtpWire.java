package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocketFactory;

/**
 * SMTP over one {@link LineChannel}: command lines out, (multi-line) replies in, each reply bounded by the channel
 * (lines, bytes, {@code read-timeout-ms} for the whole reply) and checked to carry one code on all its lines.
 */
final class SmtpWire implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SmtpWire.class.getName());

    private final LineChannel channel;
    private final String server;

    private SmtpWire(LineChannel channel, String server) {
        this.channel = channel;
        this.server = server;
    }

    /** TCP connect; with {@code implicitTls} the TLS handshake (identity checked) is done before returning. */
    static SmtpWire connect(String host, int port, SSLSocketFactory implicitTls, Duration connectTimeout,
                            Duration readTimeout, boolean trace, String label) throws IOException {
        String server = "SMTP server " + host + ":" + port;
        LineChannel c = LineChannel.connect(server, host, port, connectTimeout, readTimeout, trace, LOG, "OAM200",
                label);
        try {
            if (implicitTls != null) {
                c.stage("implicit TLS handshake");
                c.startTls(implicitTls, host, port, false);
            }
            return new SmtpWire(c, server);
        } catch (IOException | RuntimeException | Error e) {
            c.abort();
            throw e;
        }
    }

    /** Layers TLS over the open socket after {@code 220} to STARTTLS; anything the server sent after it is refused. */
    void startTls(SSLSocketFactory tls, String host, int port) throws IOException {
        channel.stage("TLS handshake");
        channel.startTls(tls, host, port, true);
    }

    boolean isTls() {
        return channel.isTls();
    }

    /** Sends one command line and reads the reply. */
    SmtpReply command(String line) throws IOException {
        channel.stage(verb(line));
        return send(line, line);
    }

    /** Sends a line whose content is secret (SASL responses); the trace shows {@code shown} instead. */
    SmtpReply secretCommand(String line, String shown) throws IOException {
        channel.stage("AUTH");
        return send(line, shown);
    }

    private SmtpReply send(String line, String shown) throws IOException {
        queue(line, shown);
        channel.flush();
        return readReply();
    }

    /** Buffers a command line without sending it (PIPELINING); {@link #flush()} sends the batch. */
    void queue(String line, String shown) throws IOException {
        channel.queue(line, shown);
    }

    void flush() throws IOException {
        channel.flush();
    }

    /** Names what the next {@link #readReply()} without a command reads, e.g. {@code greeting}. */
    void stage(String stage) {
        channel.stage(stage);
    }

    /**
     * Reads one reply. The stage named in errors is the verb of the oldest unanswered command line when the caller
     * pipelines, else what {@link #stage} or {@link #command} set.
     */
    SmtpReply readReply() throws IOException {
        return readReply(0);
    }

    /** Reads one reply that may take {@code graceNanos} longer than {@code read-timeout-ms}. */
    SmtpReply readReply(long graceNanos) throws IOException {
        channel.beginReply(graceNanos);
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String l = channel.readLine();
            channel.trace("S: " + l);
            if (l.length() < 3 || !isDigits(l) || (l.length() > 3 && l.charAt(3) != ' ' && l.charAt(3) != '-')) {
                throw new WireFault(MessageId.REPLY_MALFORMED, server + " sent a malformed reply ("
                        + channel.stage() + "): "
                        + LineChannel.abbreviate(l) + "; connection discarded");
            }
            int c = (l.charAt(0) - '0') * 100 + (l.charAt(1) - '0') * 10 + (l.charAt(2) - '0');
            if (code >= 0 && c != code) {
                // RFC 5321 4.2.1: every line of one reply carries the same code
                throw new WireFault(MessageId.REPLY_MALFORMED, server
                        + " sent a multi-line reply whose lines carry different codes ("
                        + channel.stage() + "): " + LineChannel.abbreviate(lines.get(0)) + " / "
                        + LineChannel.abbreviate(l) + "; connection discarded");
            }
            code = c;
            lines.add(l);
            if (l.length() == 3 || l.charAt(3) == ' ') {
                return new SmtpReply(code, lines);
            }
        }
    }

    /**
     * Before a pooled connection is reused: if the server sent anything while the connection was idle (a late reply,
     * an unsolicited {@code 554}, a {@code 421} or a close), its replies are out of step with our commands.
     *
     * @return a description of what arrived (for a FINE log line), or null when nothing did
     */
    String unsolicited() throws IOException {
        return channel.hasUnsolicitedData() ? channel.unsolicited() : null;
    }

    /** The raw stream for the message data (buffered; the caller flushes). */
    OutputStream dataOut() {
        return channel.dataOut();
    }

    LineChannel channel() {
        return channel;
    }

    void setReadTimeout(Duration timeout) {
        channel.setReadTimeout(timeout);
    }

    void trace(String s) {
        channel.trace(s);
    }


    boolean isClosed() {
        return channel.isClosed();
    }

    /** Orderly close (TLS close_notify); only when no other thread is using the connection. */
    @Override
    public void close() {
        channel.close();
    }

    /** Closes the TCP socket under TLS at once, from any thread (see {@link LineChannel#abort()}). */
    void abort() {
        channel.abort();
    }

    static void closeQuietly(Socket s) {
        LineChannel.closeQuietly(s);
    }

    static String verb(String line) {
        if (line.isEmpty()) {
            return "AUTH";
        }
        int sp = line.indexOf(' ');
        return (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
