package io.github.oauth2mail.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * A small in-process POP3 server for the AUTH cases GreenMail does not cover. It answers a token it does not accept
 * either like Dovecot 2.3 ({@link Rejection#ERROR_CHALLENGE}: the OAuth2 error challenge {@code + <base64 JSON>}, then,
 * after whatever line the client sends next, {@code -ERR [AUTH] Authentication failed.}) or with {@code -ERR} at once
 * ({@link Rejection#IMMEDIATE}). RFC 5034's 255-octet AUTH line is enforced; STLS when built with {@link #startTls}.
 * After login it serves a fixed mailbox: STAT, LIST, UIDL, RETR, TOP, NOOP, RSET, DELE, CAPA, QUIT. Records every
 * line it receives and every decoded SASL response.
 */
public final class ScriptedPop3Server extends ScriptedLineServer<ScriptedPop3Server> {

    public static final int MAX_AUTH_LINE = 255;
    public static final String ERROR_JSON = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.example.com/.default\"}";

    /** How a token that is not accepted is refused. */
    public enum Rejection { ERROR_CHALLENGE, IMMEDIATE }

    private final boolean offerStls;
    private volatile Rejection rejection = Rejection.ERROR_CHALLENGE;
    private volatile List<String> messages = List.of();

    private ScriptedPop3Server(SSLContext tls, boolean implicitTls, boolean offerStls) throws IOException {
        super("pop3", tls, implicitTls, "PLAIN XOAUTH2 OAUTHBEARER");
        this.offerStls = offerStls;
        start();
    }

    /** POP3S: TLS from the first byte. */
    public static ScriptedPop3Server implicitTls(SSLContext tls) throws IOException {
        return new ScriptedPop3Server(tls, true, false);
    }

    /** Plain POP3 offering STLS (and refusing AUTH before it). */
    public static ScriptedPop3Server startTls(SSLContext tls) throws IOException {
        return new ScriptedPop3Server(tls, false, true);
    }

    public ScriptedPop3Server rejection(Rejection r) {
        rejection = r;
        return this;
    }

    /** The mailbox's messages, each a complete RFC 5322 text with CRLF line ends. */
    public ScriptedPop3Server messages(String... texts) {
        messages = List.of(texts);
        return this;
    }

    @Override
    void serve(Socket socket) throws IOException {
        LineConnection c = new LineConnection(socket);
        boolean inTls = implicitTls;
        boolean authenticated = false;
        c.send("+OK Dovecot ready.");
        while (true) {
            String line = receive(c);
            if (line == null) {
                return;
            }
            String[] parts = line.split(" ");
            String verb = parts[0].toUpperCase(Locale.ROOT);
            if (verb.equals("QUIT")) {
                c.send("+OK Logging out.");
                return;
            }
            if (verb.equals("CAPA")) {
                c.send("+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n" + (authenticated ? ""
                        : "USER\r\nSASL " + mechanisms + "\r\n" + (offerStls && !inTls ? "STLS\r\n" : "")) + ".");
            } else if (!authenticated) {
                switch (verb) {
                    case "STLS":
                        c.send("+OK Begin TLS negotiation now.");
                        c = LineConnection.serverTls(socket, tls, 0);
                        inTls = true;
                        break;
                    case "AUTH":
                        if (!inTls) {
                            c.send("-ERR [AUTH] Plaintext authentication disallowed on non-secure connections.");
                        } else if (line.length() + 2 > MAX_AUTH_LINE) {
                            c.send("-ERR Input line too long.");
                        } else {
                            authenticated = authenticate(c, parts);
                        }
                        break;
                    default:
                        c.send("-ERR Unknown command.");
                }
            } else {
                transaction(c, verb, parts);
            }
        }
    }

    private boolean authenticate(LineConnection c, String[] parts) throws IOException {
        String mechanism = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        if (!offers(mechanism)) {
            c.send("-ERR Unsupported authentication mechanism.");
            return false;
        }
        String b64 = saslResponse(c, parts, 2);
        if (b64 == null) {
            return false;
        }
        String token = bearerToken(mechanism, b64, Base64.getMimeDecoder());
        if (token != null && accepted.contains(token)) {
            c.send("+OK Logged in.");
            return true;
        }
        if (rejection == Rejection.ERROR_CHALLENGE) {
            // whatever comes next answers the challenge (so did Dovecot with STAT)
            if (errorChallenge(c, ERROR_JSON) == null) {
                return false;
            }
            c.send("-ERR [AUTH] Authentication failed.");
        } else {
            c.send("-ERR [AUTH] Authentication failed.");
        }
        return false;
    }

    private void transaction(LineConnection c, String verb, String[] parts) throws IOException {
        List<String> m = messages;
        int n = parts.length > 1 ? parseOrZero(parts[1]) : 0;
        boolean valid = n >= 1 && n <= m.size();
        switch (verb) {
            case "STAT":
                c.send("+OK " + m.size() + " " + m.stream().mapToInt(this::size).sum());
                break;
            case "LIST":
            case "UIDL":
                if (parts.length > 1) {
                    c.send(valid ? "+OK " + n + " " + (verb.equals("LIST") ? size(m.get(n - 1)) : "uid-" + n)
                            : "-ERR There's no message " + parts[1] + ".");
                } else {
                    StringBuilder b = new StringBuilder("+OK");
                    for (int i = 1; i <= m.size(); i++) {
                        b.append("\r\n").append(i).append(' ')
                                .append(verb.equals("LIST") ? String.valueOf(size(m.get(i - 1))) : "uid-" + i);
                    }
                    c.send(b.append("\r\n.").toString());
                }
                break;
            case "RETR":
            case "TOP":
                if (!valid) {
                    c.send("-ERR There's no message " + (parts.length > 1 ? parts[1] : "") + ".");
                } else {
                    String text = m.get(n - 1);
                    if (verb.equals("TOP")) {
                        int body = text.indexOf("\r\n\r\n");
                        text = body < 0 ? text : text.substring(0, body + 4);
                    }
                    c.send("+OK " + size(text) + " octets\r\n" + dotStuffed(text) + ".");
                }
                break;
            case "NOOP":
            case "RSET":
            case "DELE":
                c.send("+OK");
                break;
            default:
                c.send("-ERR Unknown command: " + verb);
        }
    }

    private int size(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String dotStuffed(String text) {
        StringBuilder b = new StringBuilder();
        for (String l : text.split("\r\n", -1)) {
            b.append(l.startsWith(".") ? "." : "").append(l).append("\r\n");
        }
        String s = b.toString();
        return s.endsWith("\r\n\r\n") ? s.substring(0, s.length() - 2) : s;
    }

    private static int parseOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
