package io.github.oauth2mail.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small, fast SMTP sink for the benchmarks (run in its own JVM so its CPU can be measured apart from the clients):
 * thread per connection, TCP_NODELAY, replies flushed only when the client has nothing more in flight (PIPELINING).
 * It offers STARTTLS, {@code AUTH PLAIN LOGIN XOAUTH2}, accepts any credentials and discards the message data.
 *
 * <p>Two listeners on 127.0.0.1: the TLS port does real STARTTLS (TLS 1.3, the benchmark's self-signed certificate);
 * the plain port answers STARTTLS with 220 and carries on in clear, so the adapter (which never sends a token without
 * TLS) can be measured without TLS through the pass-through socket factory of {@link PassThroughTls}.
 *
 * <p>Usage: {@code SmtpSink <plainPort> <tlsPort> <serverKeyStore.p12>}; prints {@code READY} when listening and
 * {@code COUNTS connections messages} on every {@code COUNTS} line read from stdin.
 */
public final class SmtpSink {

    private static final byte[] EHLO_TAIL = ("250-PIPELINING\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n"
            + "250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "250 2.0.0 Ok\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SSLContext tls;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sink");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();

    SmtpSink(SSLContext tls) {
        this.tls = tls;
    }

    public static void main(String[] args) throws Exception {
        int plainPort = Integer.parseInt(args[0]);
        int tlsPort = Integer.parseInt(args[1]);
        SmtpSink sink = new SmtpSink(Certs.serverContext(Path.of(args[2])));
        sink.listen(plainPort, false);
        sink.listen(tlsPort, true);
        System.out.println("READY");
        System.out.flush();
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("COUNTS")) {
                System.out.println("COUNTS " + sink.connections.get() + " " + sink.messages.get());
                System.out.flush();
            }
        }
        System.exit(0);
    }

    void listen(int port, boolean realTls) throws IOException {
        ServerSocket ss = new ServerSocket(port, 512, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket s = ss.accept();
                    s.setTcpNoDelay(true);
                    connections.incrementAndGet();
                    workers.execute(() -> serve(s, realTls));
                } catch (IOException e) {
                    return;
                }
            }
        }, "accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket socket, boolean realTls) {
        Socket s = socket;
        try {
            In in = new In(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 8 * 1024);
            boolean secure = false;
            write(out, "220 sink ESMTP\r\n");
            out.flush();
            while (true) {
                if (in.available() == 0) {
                    out.flush();
                }
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO":
                        write(out, "250-sink\r\n");
                        out.write(EHLO_TAIL);
                        write(out, secure ? "250 SMTPUTF8\r\n" : "250-SMTPUTF8\r\n250 STARTTLS\r\n");
                        break;
                    case "HELO":
                        write(out, "250 sink\r\n");
                        break;
                    case "STAR":
                        write(out, "220 2.0.0 Ready to start TLS\r\n");
                        out.flush();
                        if (realTls) {
                            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                            ssl.setUseClientMode(false);
                            ssl.startHandshake();
                            s = ssl;
                            in = new In(s.getInputStream());
                            out = new BufferedOutputStream(s.getOutputStream(), 8 * 1024);
                        }
                        secure = true;
                        break;
                    case "AUTH":
                        auth(line, in, out);
                        break;
                    case "MAIL":
                    case "RCPT":
                    case "RSET":
                    case "NOOP":
                        out.write(OK);
                        break;
                    case "DATA":
                        write(out, "354 End data with <CR><LF>.<CR><LF>\r\n");
                        out.flush();
                        discardData(in);
                        messages.incrementAndGet();
                        write(out, "250 2.0.0 Ok: queued\r\n");
                        break;
                    case "QUIT":
                        write(out, "221 2.0.0 Bye\r\n");
                        out.flush();
                        return;
                    default:
                        write(out, "502 5.5.2 Error: command not recognized\r\n");
                }
            }
        } catch (IOException e) {
            // client went away: nothing to do for a sink
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Any credentials are accepted; the exchange (initial response or not) is what real servers do. */
    private static void auth(String line, In in, OutputStream out) throws IOException {
        String[] parts = line.split(" ");
        String mech = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        boolean initial = parts.length > 2;
        switch (mech) {
            case "LOGIN":
                if (!initial) {
                    ask(out, "334 VXNlcm5hbWU6\r\n", in);
                }
                ask(out, "334 UGFzc3dvcmQ6\r\n", in);
                break;
            case "PLAIN":
            case "XOAUTH2":
                if (!initial) {
                    ask(out, "334 \r\n", in);
                }
                break;
            default:
                write(out, "504 5.5.4 Unrecognized authentication type\r\n");
                return;
        }
        write(out, "235 2.7.0 Authentication successful\r\n");
    }

    private static void ask(OutputStream out, String challenge, In in) throws IOException {
        write(out, challenge);
        out.flush();
        if (readLine(in) == null) {
            throw new IOException("closed during AUTH");
        }
    }

    private static void discardData(In in) throws IOException {
        // state machine for CRLF . CRLF (the DATA command's CRLF counts as the first one)
        int state = 2;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed during DATA");
            }
            switch (state) {
                case 0:
                    state = c == '\r' ? 1 : 0;
                    break;
                case 1:
                    state = c == '\n' ? 2 : c == '\r' ? 1 : 0;
                    break;
                case 2:
                    state = c == '.' ? 3 : c == '\r' ? 1 : 0;
                    break;
                case 3:
                    state = c == '\r' ? 4 : 0;
                    break;
                case 4:
                    if (c == '\n') {
                        return;
                    }
                    state = c == '\r' ? 1 : 0;
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
    }

    private static String readLine(In in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** An unsynchronised read buffer (BufferedInputStream locks on every read() call). */
    private static final class In {
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int lim;

        In(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            if (pos == lim) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    return -1;
                }
                pos = 0;
                lim = n;
            }
            return buf[pos++] & 0xff;
        }

        int available() throws IOException {
            return lim - pos + in.available();
        }
    }
}
