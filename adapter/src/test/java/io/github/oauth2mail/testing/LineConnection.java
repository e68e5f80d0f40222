package io.github.oauth2mail.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** The server side of one CRLF-line connection of the scripted test servers, and their SASL response parsing. */
final class LineConnection {

    private final InputStream in;
    private final OutputStream out;

    LineConnection(Socket s) throws IOException {
        this(s, 0);
    }

    /** With {@code bytesPerSecond > 0} the server reads no faster than that (a slow but steady reader). */
    LineConnection(Socket s, long bytesPerSecond) throws IOException {
        InputStream raw = s.getInputStream();
        in = new BufferedInputStream(bytesPerSecond > 0 ? new Throttled(raw, bytesPerSecond) : raw, 4096);
        out = s.getOutputStream();
    }

    /** Paces reads to a rate: each read takes at most a 20th of a second's worth and waits until it is due. */
    private static final class Throttled extends java.io.FilterInputStream {
        private final long rate;
        private final long start = System.nanoTime();
        private long total;

        Throttled(InputStream in, long rate) {
            super(in);
            this.rate = rate;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long dueNanos = start + total * 1_000_000_000L / rate - System.nanoTime();
            if (dueNanos > 0) {
                try {
                    Thread.sleep(dueNanos / 1_000_000, (int) (dueNanos % 1_000_000)); // pacing, not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
            }
            int n = super.read(b, off, (int) Math.min(len, Math.max(1, rate / 20)));
            if (n > 0) {
                total += n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return 0;
        }
    }

    /** Sends one or more lines ({@code \r\n} between them), CRLF appended. */
    void send(String lines) throws IOException {
        out.write((lines + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    boolean hasMore() throws IOException {
        return in.available() > 0;
    }

    /**
     * The server side of STARTTLS over {@code plain}: the TLS handshake with {@code tls}, then a connection over it
     * reading at most {@code bytesPerSecond} (0: unthrottled).
     */
    static LineConnection serverTls(Socket plain, SSLContext tls, long bytesPerSecond) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.startHandshake();
        return new LineConnection(ssl, bytesPerSecond);
    }

    /** The message data after {@code 354}, up to the lone {@code .}, dot-stuffing undone; null at end of stream. */
    String readMessage() throws IOException {
        StringBuilder body = new StringBuilder();
        while (true) {
            String l = readLine();
            if (l == null) {
                return null;
            }
            if (l.equals(".")) {
                return body.toString();
            }
            body.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
        }
    }

    /** The next line without its CRLF, or null at the end of the stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return null;
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The bearer token of a decoded XOAUTH2 ({@code user=...^Aauth=Bearer t^A^A}) or OAUTHBEARER
     * ({@code n,a=...,^Ahost=...^Aport=...^Aauth=Bearer t^A^A}) client response, or null if it is malformed.
     */
    static String bearerToken(String mechanism, String decoded) {
        Map<String, String> kv = new HashMap<>();
        for (String f : decoded.split("\u0001")) {
            int eq = f.indexOf('=');
            if (eq > 0) {
                kv.put(f.substring(0, eq), f.substring(eq + 1));
            }
        }
        String auth = kv.getOrDefault("auth", "");
        boolean wellFormed = mechanism.equals("XOAUTH2") ? decoded.startsWith("user=")
                : decoded.startsWith("n,a=") && kv.containsKey("host") && kv.containsKey("port");
        return wellFormed && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    }
}
