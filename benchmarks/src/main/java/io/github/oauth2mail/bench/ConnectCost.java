package io.github.oauth2mail.bench;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.token.TokenRefresher;
import io.github.oauth2mail.transport.SmtpConnection;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Where the time of a new SMTP connection goes: Angus's {@code connect()} as configured by default, without the local
 * host name lookup ({@code mail.smtp.localhost}), with TCP_NODELAY on its socket ({@code mail.smtp.socketFactory}),
 * with both; and the adapter's own {@link SmtpConnection#open}. Sequential, one connection at a time.
 */
final class ConnectCost {

    private ConnectCost() {
    }

    static void run(int port, boolean tls, String tokenEndpoint, int n) throws Exception {
        Senders.Target t = new Senders.Target(port, tls, tokenEndpoint, 1);
        long[] lookup = new long[5];
        for (int i = 0; i < lookup.length; i++) {
            long a = System.nanoTime();
            InetAddress.getLocalHost().getCanonicalHostName();
            lookup[i] = System.nanoTime() - a;
        }
        print(tls, "InetAddress.getLocalHost().getCanonicalHostName()", lookup);
        if (tls) {
            phases(port, n, false);
            phases(port, n, true);
        }
        angus(t, n, "Angus connect(), defaults", false, false);
        angus(t, n, "Angus connect(), mail.smtp.localhost set", true, false);
        angus(t, n, "Angus connect(), TCP_NODELAY socket", false, true);
        angus(t, n, "Angus connect(), localhost set + TCP_NODELAY", true, true);
        ConnectorSettings settings = ConnectorSettings.load("cost", SettingsSource.of(Senders.adapterSettings(t, "cost",
                Map.of())), Map.of());
        try (TokenRefresher tokens = TokenRefresher.create(settings)) {
            SSLSocketFactory f = TlsSupport.socketFactory(settings);
            tokens.token(Senders.FROM);
            long[] times = new long[n];
            for (int i = -5; i < n; i++) {
                long a = System.nanoTime();
                SmtpConnection c = SmtpConnection.open(settings, f, tokens, Senders.FROM);
                long b = System.nanoTime();
                c.close();
                if (i >= 0) {
                    times[i] = b - a;
                }
            }
            print(tls, "adapter SmtpConnection.open (TCP_NODELAY, cached token)", times);
        }
    }

    private static void angus(Senders.Target t, int n, String label, boolean localhost, boolean noDelay)
            throws Exception {
        Properties p = Senders.angusProperties(t);
        if (localhost) {
            p.setProperty("mail.smtp.localhost", "bench.example.org");
        }
        if (noDelay) {
            p.put("mail.smtp.socketFactory", new NoDelaySocketFactory());
        }
        Session session = Session.getInstance(p);
        long[] times = new long[n];
        for (int i = -5; i < n; i++) {
            Transport tr = session.getTransport("smtp");
            long a = System.nanoTime();
            tr.connect("127.0.0.1", t.port(), Senders.FROM, Senders.PASSWORD);
            long b = System.nanoTime();
            tr.close();
            if (i >= 0) {
                times[i] = b - a;
            }
        }
        print(t.tls(), label, times);
    }

    /**
     * The STARTTLS connect step by step on a plain JDK socket (what Angus does), without and with TCP_NODELAY, to show
     * which step waits: TCP connect + greeting, EHLO, STARTTLS, TLS handshake, EHLO after TLS, AUTH.
     */
    private static void phases(int port, int n, boolean noDelay) throws Exception {
        String[] names = {"connect+greeting", "EHLO", "STARTTLS", "TLS handshake", "EHLO after TLS", "AUTH PLAIN"};
        long[][] t = new long[names.length][n];
        SSLSocketFactory tlsFactory = (SSLSocketFactory) SSLSocketFactory.getDefault();
        for (int i = -5; i < n; i++) {
            long[] at = new long[names.length + 1];
            at[0] = System.nanoTime();
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(noDelay);
                s.connect(new InetSocketAddress("127.0.0.1", port));
                java.io.InputStream in = s.getInputStream();
                java.io.OutputStream out = s.getOutputStream();
                reply(in);
                at[1] = System.nanoTime();
                cmd(out, in, "EHLO bench.example.org");
                at[2] = System.nanoTime();
                cmd(out, in, "STARTTLS");
                at[3] = System.nanoTime();
                javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) tlsFactory.createSocket(s, "127.0.0.1", port, true);
                ssl.startHandshake();
                at[4] = System.nanoTime();
                in = ssl.getInputStream();
                out = ssl.getOutputStream();
                cmd(out, in, "EHLO bench.example.org");
                at[5] = System.nanoTime();
                cmd(out, in, "AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAGFwcC1wYXNzd29yZA==");
                at[6] = System.nanoTime();
                out.write("QUIT\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
            }
            if (i >= 0) {
                for (int k = 0; k < names.length; k++) {
                    t[k][i] = at[k + 1] - at[k];
                }
            }
        }
        for (int k = 0; k < names.length; k++) {
            print(true, "JDK socket" + (noDelay ? " + TCP_NODELAY" : "") + ": " + names[k], t[k]);
        }
    }

    private static void cmd(java.io.OutputStream out, java.io.InputStream in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        reply(in);
    }

    /** Reads one (multi-line) SMTP reply. */
    private static void reply(java.io.InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed");
            }
            if (c == '\n') {
                if (line.length() < 4 || line.charAt(3) == ' ') {
                    return;
                }
                line.setLength(0);
            } else if (c != '\r') {
                line.append((char) c);
            }
        }
    }

    private static void print(boolean tls, String label, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.println(String.format(Locale.ROOT, "CONNECT\t%s\t%s\t%d\t%.2f\t%.2f\t%.2f", tls ? "tls" : "plain",
                label, s.length, Measure.percentile(s, 50) / 1e6, Measure.percentile(s, 90) / 1e6,
                s[s.length - 1] / 1e6));
        System.out.flush();
    }

    /** Plain sockets with TCP_NODELAY (Angus layers STARTTLS over the socket this makes). */
    static final class NoDelaySocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            Socket s = createSocket();
            s.bind(new InetSocketAddress(localHost, localPort));
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            Socket s = createSocket();
            s.bind(new InetSocketAddress(localAddress, localPort));
            s.connect(new InetSocketAddress(address, port));
            return s;
        }
    }
}
