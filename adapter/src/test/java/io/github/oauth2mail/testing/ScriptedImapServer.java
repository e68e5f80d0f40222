package io.github.oauth2mail.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small in-process IMAP server for the AUTHENTICATE protocol cases GreenMail does not cover: a 1000-byte command
 * line limit ({@code BAD Command line too long}), SASL-IR offered or not, XOAUTH2 and OAUTHBEARER with the OAuth2
 * error challenge ({@code + <base64 JSON>}, then {@code NO} after the client's acknowledgement), implicit TLS or
 * STARTTLS. After login it answers CAPABILITY, NOOP, LIST (one INBOX), EXAMINE/SELECT INBOX (empty), CLOSE and LOGOUT.
 * Records every line it receives.
 */
public final class ScriptedImapServer implements AutoCloseable {

    public static final int MAX_LINE = 1000;
    public static final String ERROR_JSON = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://outlook.office365.com/.default\"}";

    private final ServerSocket server;
    private final SSLContext tls;
    private final boolean implicitTls;
    private volatile boolean offerStartTls;
    private volatile boolean saslIr = true;
    private volatile String mechanisms = "XOAUTH2 OAUTHBEARER";
    private volatile Set<String> accepted = Set.of();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> authResponses = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ScriptedImapServer(SSLContext tls, boolean implicitTls) throws IOException {
        this.tls = tls;
        this.implicitTls = implicitTls;
        this.server = implicitTls ? tls.getServerSocketFactory().createServerSocket() : new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread t = new Thread(this::acceptLoop, "scripted-imap-accept");
        t.setDaemon(true);
        t.start();
    }

    /** IMAPS: TLS from the first byte. */
    public static ScriptedImapServer implicitTls(SSLContext tls) throws IOException {
        return new ScriptedImapServer(tls, true);
    }

    /** Plain IMAP offering STARTTLS. */
    public static ScriptedImapServer startTls(SSLContext tls) throws IOException {
        ScriptedImapServer s = new ScriptedImapServer(tls, false);
        s.offerStartTls = true;
        return s;
    }

    /** Plain IMAP without STARTTLS. */
    public static ScriptedImapServer plain() throws IOException {
        return new ScriptedImapServer(null, false);
    }

    public int port() {
        return server.getLocalPort();
    }

    public ScriptedImapServer acceptTokens(String... tokens) {
        accepted = Set.of(tokens);
        return this;
    }

    public ScriptedImapServer saslIr(boolean offer) {
        saslIr = offer;
        return this;
    }

    public ScriptedImapServer mechanisms(String m) {
        mechanisms = m;
        return this;
    }

    /** Every line received, as received (AUTHENTICATE payloads included). */
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

    private String capabilities(boolean inTls, boolean authenticated) {
        StringBuilder b = new StringBuilder("IMAP4rev1");
        if (!authenticated) {
            if (offerStartTls && !inTls) {
                b.append(" STARTTLS");
            }
            if (saslIr) {
                b.append(" SASL-IR");
            }
            for (String m : mechanisms.split(" ")) {
                if (!m.isEmpty()) {
                    b.append(" AUTH=").append(m);
                }
            }
        }
        return b.toString();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-imap-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (Socket socket = s) {
            LineConnection c = new LineConnection(socket);
            boolean inTls = implicitTls;
            boolean authenticated = false;
            c.send("* OK scripted IMAP ready");
            while (true) {
                String line = c.readLine();
                if (line == null) {
                    return;
                }
                received.add(line);
                String[] parts = line.split(" ");
                String tag = parts[0];
                if (line.length() + 2 > MAX_LINE) {
                    c.send(tag + " BAD Command line too long");
                    continue;
                }
                String verb = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
                switch (verb) {
                    case "CAPABILITY":
                        c.send("* CAPABILITY " + capabilities(inTls, authenticated) + "\r\n" + tag + " OK done");
                        break;
                    case "STARTTLS":
                        c.send(tag + " OK Begin TLS negotiation now");
                        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        c = new LineConnection(ssl);
                        inTls = true;
                        break;
                    case "AUTHENTICATE":
                        if (!inTls && tls != null) {
                            c.send(tag + " NO TLS first");
                        } else {
                            authenticated = authenticate(c, tag, parts);
                        }
                        break;
                    case "NOOP":
                    case "CLOSE":
                    case "UNSELECT":
                        c.send(tag + " OK " + verb + " completed");
                        break;
                    case "LIST":
                        c.send(authenticated ? "* LIST (\\HasNoChildren) \"/\" INBOX\r\n" + tag + " OK LIST completed"
                                : tag + " BAD not authenticated");
                        break;
                    case "EXAMINE":
                    case "SELECT":
                        c.send(authenticated ? "* 0 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] ok\r\n* FLAGS ()\r\n"
                                + tag + " OK [READ-ONLY] done" : tag + " BAD not authenticated");
                        break;
                    case "LOGOUT":
                        c.send("* BYE bye\r\n" + tag + " OK LOGOUT completed");
                        return;
                    default:
                        c.send(tag + " BAD unsupported here");
                }
            }
        } catch (IOException e) {
            // client gone or TLS failed
        }
    }

    private boolean authenticate(LineConnection c, String tag, String[] parts) throws IOException {
        String mechanism = parts.length > 2 ? parts[2].toUpperCase(Locale.ROOT) : "";
        if (!(" " + mechanisms + " ").contains(" " + mechanism + " ")) {
            c.send(tag + " NO unsupported mechanism");
            return false;
        }
        String b64;
        if (parts.length > 3) {
            b64 = parts[3];
        } else {
            c.send("+ ");
            b64 = c.readLine();
            if (b64 == null) {
                return false;
            }
            received.add(b64);
            if (b64.length() + 2 > 64 * 1024) {
                c.send(tag + " BAD too long");
                return false;
            }
        }
        String decoded = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        authResponses.add(decoded);
        String token = LineConnection.bearerToken(mechanism, decoded);
        boolean wellFormed = token != null;
        if (wellFormed && accepted.contains(token)) {
            c.send(tag + " OK [CAPABILITY IMAP4rev1 IDLE] AUTHENTICATE completed");
            return true;
        }
        c.send("+ " + Base64.getEncoder().encodeToString(ERROR_JSON.getBytes(StandardCharsets.UTF_8)));
        String ack = c.readLine();
        if (ack == null) {
            return false;
        }
        received.add(ack);
        c.send(tag + " NO [AUTHENTICATIONFAILED] AUTHENTICATE failed.");
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
