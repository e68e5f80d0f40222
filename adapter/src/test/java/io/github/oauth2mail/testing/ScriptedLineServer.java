package io.github.oauth2mail.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The plumbing the scripted mail-store test servers ({@link ScriptedImapServer}, {@link ScriptedPop3Server}) share: a
 * loopback server socket (TLS from the first byte or plain), one daemon thread per accepted connection speaking CRLF
 * lines through a {@link LineConnection}, the tokens it accepts and the SASL mechanisms it offers, and the record of
 * every line and every decoded SASL response it received. A subclass scripts the protocol in {@link #serve}.
 *
 * @param <S> the server type, for the fluent setters
 */
abstract class ScriptedLineServer<S extends ScriptedLineServer<S>> implements AutoCloseable {

    final SSLContext tls;
    final boolean implicitTls;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile String mechanisms;
    volatile Set<String> accepted = Set.of();
    private final String name;
    private final ServerSocket server;
    private final List<String> authResponses = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger ended = new AtomicInteger();

    /** Binds to a free loopback port; the subclass calls {@link #start()} once it is fully built. */
    ScriptedLineServer(String name, SSLContext tls, boolean implicitTls, String mechanisms) throws IOException {
        this.name = name;
        this.tls = tls;
        this.implicitTls = implicitTls;
        this.mechanisms = mechanisms;
        this.server = implicitTls ? tls.getServerSocketFactory().createServerSocket() : new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    }

    /** Serves one connection until it ends; {@code socket} is closed afterwards. */
    abstract void serve(Socket socket) throws IOException;

    /** Starts accepting connections. */
    final void start() {
        Thread t = new Thread(this::acceptLoop, "scripted-" + name + "-accept");
        t.setDaemon(true);
        t.start();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public S acceptTokens(String... tokens) {
        accepted = Set.of(tokens);
        return self();
    }

    public S mechanisms(String m) {
        mechanisms = m;
        return self();
    }

    /** Every line received, as received (AUTHENTICATE/AUTH payloads included). */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Every decoded SASL client response. */
    public List<String> authResponses() {
        return List.copyOf(authResponses);
    }

    public int connectionCount() {
        return sockets.size();
    }

    /** How many accepted connections have ended (the client closed it, or the script ended it). */
    public int endedCount() {
        return ended.get();
    }

    /** Whether {@code mechanism} is one of the offered SASL mechanisms. */
    boolean offers(String mechanism) {
        return (" " + mechanisms + " ").contains(" " + mechanism + " ");
    }

    /**
     * The SASL initial response: {@code parts[index]} when the client sent it on the command line, else the line the
     * client sends after an empty {@code +} continuation (recorded); null when the client is gone.
     */
    String saslResponse(LineConnection c, String[] parts, int index) throws IOException {
        if (parts.length > index) {
            return parts[index];
        }
        c.send("+ ");
        return receive(c);
    }

    /** Sends the OAuth2 error challenge {@code + <base64 json>}; returns the client's answer (recorded), or null. */
    String errorChallenge(LineConnection c, String json) throws IOException {
        c.send("+ " + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        return receive(c);
    }

    /** The client's next line, recorded; null when the client is gone. */
    String receive(LineConnection c) throws IOException {
        String line = c.readLine();
        if (line != null) {
            received.add(line);
        }
        return line;
    }

    /** Decodes and records the SASL client response {@code b64}; returns its bearer token, null if malformed. */
    String bearerToken(String mechanism, String b64, Base64.Decoder decoder) {
        String decoded = new String(decoder.decode(b64), StandardCharsets.UTF_8);
        authResponses.add(decoded);
        return LineConnection.bearerToken(mechanism, decoded);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serveAndClose(s), "scripted-" + name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serveAndClose(Socket s) {
        try (Socket socket = s) {
            serve(socket);
        } catch (IOException e) {
            // client gone or TLS failed
        } finally {
            ended.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
