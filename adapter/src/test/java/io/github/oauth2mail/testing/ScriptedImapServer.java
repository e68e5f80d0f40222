package io.github.oauth2mail.testing;

import java.io.IOException;
import java.net.Socket;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * A small in-process IMAP server for the AUTHENTICATE protocol cases GreenMail does not cover: a 1000-byte command
 * line limit ({@code BAD Command line too long}), SASL-IR offered or not, XOAUTH2 and OAUTHBEARER with the OAuth2
 * error challenge ({@code + <base64 JSON>}, then {@code NO} after the client's acknowledgement), implicit TLS or
 * STARTTLS. After login it answers CAPABILITY, NOOP, LIST (one INBOX), EXAMINE/SELECT INBOX (empty), CLOSE and LOGOUT.
 * Records every line it receives.
 */
public final class ScriptedImapServer extends ScriptedLineServer<ScriptedImapServer> {

    public static final int MAX_LINE = 1000;
    public static final String ERROR_JSON = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://outlook.office365.com/.default\"}";

    private volatile boolean offerStartTls;
    private volatile boolean saslIr = true;

    private ScriptedImapServer(SSLContext tls, boolean implicitTls) throws IOException {
        super("imap", tls, implicitTls, "XOAUTH2 OAUTHBEARER");
        start();
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

    public ScriptedImapServer saslIr(boolean offer) {
        saslIr = offer;
        return this;
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

    @Override
    void serve(Socket socket) throws IOException {
        LineConnection c = new LineConnection(socket);
        boolean inTls = implicitTls;
        boolean authenticated = false;
        c.send("* OK scripted IMAP ready");
        while (true) {
            String line = receive(c);
            if (line == null) {
                return;
            }
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
                    c = LineConnection.serverTls(socket, tls, 0);
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
    }

    private boolean authenticate(LineConnection c, String tag, String[] parts) throws IOException {
        String mechanism = parts.length > 2 ? parts[2].toUpperCase(Locale.ROOT) : "";
        if (!offers(mechanism)) {
            c.send(tag + " NO unsupported mechanism");
            return false;
        }
        String b64 = saslResponse(c, parts, 3);
        if (b64 == null) {
            return false;
        }
        if (b64.length() + 2 > 64 * 1024) {
            c.send(tag + " BAD too long");
            return false;
        }
        String token = bearerToken(mechanism, b64, Base64.getDecoder());
        boolean wellFormed = token != null;
        if (wellFormed && accepted.contains(token)) {
            c.send(tag + " OK [CAPABILITY IMAP4rev1 IDLE] AUTHENTICATE completed");
            return true;
        }
        if (errorChallenge(c, ERROR_JSON) == null) {
            return false;
        }
        c.send(tag + " NO [AUTHENTICATIONFAILED] AUTHENTICATE failed.");
        return false;
    }
}
