package io.github.oauth2mail.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTPS forward proxy for tests: accepts {@code CONNECT host:port HTTP/1.1}, optionally checks
 * {@code Proxy-Authorization: Basic} (wrong or missing: {@code 407} with {@code Proxy-Authenticate}), answers
 * {@code 200}, then relays bytes both ways until either side closes. Counts tunnels and records each tunnel's target
 * and the {@code Proxy-Authorization} schemes it saw (never the credentials). Request heads are bounded (8 KiB, 30 s).
 *
 * <pre>{@code
 * try (ConnectProxy proxy = ConnectProxy.start("svc", "pw")) {  // or start() without credentials
 *     ... proxy-host=127.0.0.1, proxy-port=proxy.port()
 *     proxy.tunnels(); proxy.targets(); proxy.refusals();
 * }
 * }</pre>
 */
public final class ConnectProxy implements AutoCloseable {

    private static final int MAX_HEAD = 8192;

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-connect-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger tunnels = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final List<String> targets = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    private ConnectProxy(String user, String password) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.expectedAuthorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        threads.execute(this::acceptLoop);
    }

    /** A proxy that asks for no credentials. */
    public static ConnectProxy start() throws IOException {
        return new ConnectProxy(null, null);
    }

    /** A proxy that requires Basic credentials {@code user}/{@code password} on every CONNECT. */
    public static ConnectProxy start(String user, String password) throws IOException {
        return new ConnectProxy(user, password);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Tunnels opened (CONNECT answered 200). */
    public int tunnels() {
        return tunnels.get();
    }

    /** CONNECTs answered 407. */
    public int refusals() {
        return refusals.get();
    }

    /** {@code host:port} of every opened tunnel, in order. */
    public List<String> targets() {
        synchronized (targets) {
            return List.copyOf(targets);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket client) {
        try {
            client.setSoTimeout(30_000);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head.isEmpty()) {
                    return;
                }
                String[] request = head.get(0).split(" ");
                if (request.length != 3 || !"CONNECT".equals(request[0])) {
                    out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                String authorization = header(head, "proxy-authorization");
                if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
                    refusals.incrementAndGet();
                    out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue; // the client may retry on this connection
                }
                tunnel(client, request[1]);
                return;
            }
        } catch (IOException e) {
            // client went away: nothing to do
        } finally {
            close(client);
        }
    }

    private void tunnel(Socket client, String target) throws IOException {
        int colon = target.lastIndexOf(':');
        Socket upstream = new Socket();
        open.add(upstream);
        try {
            upstream.connect(new InetSocketAddress(target.substring(0, colon),
                    Integer.parseInt(target.substring(colon + 1))), 10_000);
            targets.add(target);
            tunnels.incrementAndGet();
            client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            client.setSoTimeout(0);
            threads.execute(() -> relay(upstream, client));
            relay(client, upstream);
        } finally {
            close(upstream);
        }
    }

    private static void relay(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            close(from);
            close(to);
        }
    }

    /** The request line and headers, up to the empty line; empty at end of stream. Bounded to {@link #MAX_HEAD}. */
    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int total = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (++total > MAX_HEAD) {
                throw new IOException("request head too long");
            }
            bytes.write(b);
            String s = bytes.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return List.of(s.split("\r\n"));
            }
        }
        return List.of();
    }

    private static String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                close(s);
            }
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
