package io.github.oauth2mail.transport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A mail server that misbehaves as scripted: each connection runs {@link Script} with line I/O that counts every byte
 * it sends (so a test can show a client stopped reading long before memory mattered). Plain or implicit TLS.
 */
final class HostileServer implements AutoCloseable {

    /** What the server does on one connection. */
    @FunctionalInterface
    interface Script {
        void run(Peer peer) throws IOException;
    }

    /** The server side of one connection. */
    final class Peer {
        private final InputStream in;
        private final OutputStream out;

        Peer(Socket s) throws IOException {
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        void send(String line) throws IOException {
            byte[] b = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
            out.write(b);
            out.flush();
            sent.addAndGet(b.length);
        }

        /** Sends {@code text} as it is (no CRLF appended). */
        void sendRaw(String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            out.write(b);
            out.flush();
            sent.addAndGet(b.length);
        }

        /** The next line without CRLF, or null at the end of the stream. */
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
            String line = s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            received.add(line);
            return line;
        }

        /** Sends {@code line} again and again until the client goes away or {@code cap} bytes are sent. */
        void flood(String line, long cap) throws IOException {
            while (sent.get() < cap) {
                send(line);
            }
        }
    }

    private final ServerSocket server;
    private final AtomicLong sent = new AtomicLong();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private HostileServer(ServerSocket server, Script script) throws IOException {
        this.server = server;
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread t = new Thread(() -> accept(script), "hostile-accept");
        t.setDaemon(true);
        t.start();
    }

    static HostileServer plain(Script script) throws IOException {
        return new HostileServer(new ServerSocket(), script);
    }

    static HostileServer implicitTls(SSLContext tls, Script script) throws IOException {
        return new HostileServer(tls.getServerSocketFactory().createServerSocket(), script);
    }

    private void accept(Script script) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> {
                    try (Socket socket = s) {
                        script.run(new Peer(socket));
                    } catch (IOException e) {
                        // the client went away: expected when it gives up
                    }
                }, "hostile-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes sent to clients so far. */
    long bytesSent() {
        return sent.get();
    }

    List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
