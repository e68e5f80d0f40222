package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens and authenticates one IMAP connection the adapter's way, before the Jakarta Mail implementation's IMAP store
 * takes it over (see {@link ImapSocketFactory}): TCP with TCP_NODELAY and timeouts; TLS, implicit or by STARTTLS,
 * which is then required (the token never goes out in clear), with the server identity checked; then
 * {@code AUTHENTICATE} with XOAUTH2 or OAUTHBEARER:
 * <ul>
 * <li>the initial response rides on the command line (SASL-IR, RFC 4959) only when the server offers SASL-IR and the
 * line stays within 1000 bytes (RFC 2683 3.2.1.5's advice for clients); otherwise it goes on its own line after the
 * server's {@code +};</li>
 * <li>an error challenge ({@code + <base64 JSON>}) is decoded and acknowledged (empty line for XOAUTH2, {@code ^A}
 * for OAUTHBEARER) so the server sends its final {@code NO}, which is reported with the decoded status.</li>
 * </ul>
 * Secret lines never reach the trace. Every response is bounded by the {@link LineChannel} (lines, bytes and
 * {@code read-timeout-ms} for all lines up to the tagged one), and AUTHENTICATE answers at most
 * {@value #MAX_CONTINUATIONS} continuation requests.
 */
final class ImapLogin extends StoreLogin {

    private static final Logger LOG = Logger.getLogger(ImapLogin.class.getName());
    /** RFC 2683 3.2.1.5: clients should keep command lines within 1000 octets (CRLF included). */
    static final int MAX_COMMAND_LINE = 1000;
    /** Initial response, error acknowledgement, cancel: a server asking for more is out of step. */
    static final int MAX_CONTINUATIONS = 3;
    private static final int CRLF_LENGTH = 2;

    private int tags;

    /** An authenticated connection: the socket, its buffered input (positioned after the tagged OK). */
    static final class Result {
        final Socket raw;
        final Socket socket;
        final InputStream in;
        final String capabilities;

        Result(Socket raw, Socket socket, InputStream in, String capabilities) {
            this.raw = raw;
            this.socket = socket;
            this.in = in;
            this.capabilities = capabilities;
        }
    }

    private ImapLogin(ConnectorSettings s, String mailbox) {
        super("IMAP", s, s.imapHost(), s.imapPort(), mailbox);
    }

    /**
     * Connects to the configured IMAP server and authenticates {@code mailbox} with {@code token}.
     *
     * @throws StoreLoginException with an {@code OAM226}/{@code OAM227} message (never the token); whatever fails, the
     *                            socket is closed first
     */
    static Result open(ConnectorSettings s, SSLSocketFactory tls, String mailbox, String token)
            throws StoreLoginException {
        ImapLogin l = new ImapLogin(s, mailbox);
        try {
            boolean implicit = s.imapTls() == ConnectorSettings.Tls.IMPLICIT;
            String greeting = l.connect(s, tls, implicit, LOG, "OAM228");
            if (!startsWithIgnoreCase(greeting, "* OK")) {
                throw l.failure(MessageId.STORE_SESSION_REFUSED, "refused the connection: "
                        + abbreviate(greeting), false);
            }
            Set<String> caps = capabilityCode(greeting);
            if (!implicit) {
                l.stage("CAPABILITY");
                if (caps == null) {
                    caps = l.capability();
                }
                if (!caps.contains("STARTTLS")) {
                    throw l.failure(MessageId.STORE_STARTTLS_UNAVAILABLE, "does not offer STARTTLS, which "
                            + s.key(Setting.IMAP_TLS) + "=starttls requires "
                            + "(the token is never sent in clear). Use " + s.key(Setting.IMAP_TLS) + "=implicit with the "
                            + "server's IMAPS port (993), or check that nothing in between strips STARTTLS", false);
                }
                l.stage("STARTTLS");
                String tag = l.send("STARTTLS", null);
                String r = l.tagged(tag);
                if (!isOk(tag, r)) {
                    throw l.failure(MessageId.STORE_STARTTLS_UNAVAILABLE, "refused STARTTLS: " + abbreviate(r), false);
                }
                l.startTls(tls, true);
                caps = null; // RFC 3501 6.2.1: capabilities learned before TLS are void
            }
            l.stage("CAPABILITY");
            if (caps == null) {
                caps = l.capability();
            }
            if (!caps.contains("AUTH=" + l.mechanism.name())) {
                throw l.failure(MessageId.STORE_MECHANISM_NOT_OFFERED, "does not offer SASL mechanism "
                        + l.mechanism.name() + " (it offers: "
                        + String.join(" ", authMechanisms(caps)) + "); set " + s.key(Setting.SASL_MECHANISM)
                        + " to XOAUTH2 or OAUTHBEARER as the server offers", false);
            }
            l.stage("AUTHENTICATE");
            String after = l.authenticate(token, caps.contains("SASL-IR"));
            return new Result(l.channel.rawSocket(), l.channel.socket(), l.channel.remainingInput(), after);
        } catch (Error e) {
            l.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            throw l.failed(e, s);
        }
    }

    /** Returns the capabilities of the tagged OK's response code, or null. */
    private String authenticate(String token, boolean saslIr) throws IOException {
        String b64 = Base64.getEncoder().encodeToString(mechanism.initialResponse(mailbox, token, host, port)
                .getBytes(StandardCharsets.UTF_8));
        String command = "AUTHENTICATE " + mechanism.name();
        String tag = nextTag();
        boolean sent;
        channel.stage("AUTHENTICATE");
        channel.beginReply();
        if (saslIr && tag.length() + 1 + command.length() + 1 + b64.length() + CRLF_LENGTH <= MAX_COMMAND_LINE) {
            writeLine(tag + " " + command + " " + b64, tag + " " + command + " <redacted>");
            sent = true;
        } else {
            writeLine(tag + " " + command, tag + " " + command);
            sent = false;
        }
        OAuthErrorChallenge error = null;
        int continuations = 0;
        while (true) {
            String line = readLine();
            if (line.startsWith("+")) {
                if (++continuations > MAX_CONTINUATIONS) {
                    throw new WireFault(MessageId.IMAP_TOO_MANY_CONTINUATIONS, server + " sent more than "
                            + MAX_CONTINUATIONS + " continuation "
                            + "requests during AUTHENTICATE " + mechanism.name() + " (the exchange was over); "
                            + "connection discarded");
                }
                if (!sent) {
                    writeLine(b64, "<redacted>");
                    sent = true;
                } else if (error == null) {
                    error = OAuthErrorChallenge.decode(line.substring(1).trim());
                    trace("OAuth2 error challenge: " + error);
                    String ack = mechanism.errorAcknowledgement();
                    writeLine(ack, ack);
                } else {
                    writeLine("*", "*"); // RFC 3501 6.2.2: cancel the exchange
                }
            } else if (startsWithIgnoreCase(line, tag + " ")) {
                if (isOk(tag, line)) {
                    Set<String> caps = capabilityCode(line.substring(tag.length() + 1));
                    return caps == null ? null : String.join(" ", caps);
                }
                boolean rejected = error != null || startsWithIgnoreCase(line, tag + " NO");
                throw failure(rejected ? MessageId.STORE_TOKEN_REJECTED : MessageId.STORE_SESSION_REFUSED,
                        (rejected ? "did not accept the " + mechanism.name() + " access token"
                        : "refused AUTHENTICATE " + mechanism.name()) + " for mailbox " + mailbox + ": "
                        + abbreviate(line.substring(tag.length() + 1)) + (error == null ? "" : " (OAuth2 error: "
                        + error + ")"), rejected, error);
            } else if (startsWithIgnoreCase(line, "* BYE")) {
                throw failure(error != null ? MessageId.STORE_TOKEN_REJECTED : MessageId.STORE_SESSION_REFUSED,
                        "closed the connection during AUTHENTICATE: " + abbreviate(line), error != null, error);
            }
        }
    }

    private Set<String> capability() throws IOException {
        String tag = send("CAPABILITY", null);
        Set<String> caps = null;
        while (true) {
            String line = readLine();
            if (startsWithIgnoreCase(line, "* CAPABILITY ")) {
                caps = words(line.substring("* CAPABILITY ".length()));
            } else if (startsWithIgnoreCase(line, tag + " ")) {
                if (!isOk(tag, line) || caps == null) {
                    throw failure(MessageId.STORE_SESSION_REFUSED, "answered CAPABILITY with "
                            + abbreviate(line), false);
                }
                return caps;
            } else if (startsWithIgnoreCase(line, "* BYE")) {
                throw failure(MessageId.STORE_SESSION_REFUSED, "closed the connection: " + abbreviate(line), false);
            }
        }
    }

    /** Sends a command with a fresh tag; returns the tag. */
    private String send(String command, String shown) throws IOException {
        String tag = nextTag();
        channel.stage(command);
        channel.beginReply();
        writeLine(tag + " " + command, tag + " " + (shown == null ? command : shown));
        return tag;
    }

    /** Reads to the tagged response of {@code tag} (untagged ones are skipped) and returns it. */
    private String tagged(String tag) throws IOException {
        while (true) {
            String line = readLine();
            if (startsWithIgnoreCase(line, tag + " ")) {
                return line;
            }
            if (startsWithIgnoreCase(line, "* BYE")) {
                throw failure(MessageId.STORE_SESSION_REFUSED, "closed the connection: " + abbreviate(line), false);
            }
        }
    }

    private String nextTag() {
        return "oa" + (++tags);
    }

    private void writeLine(String line, String shown) throws IOException {
        channel.queue(line, shown);
        channel.flush();
    }

    @Override
    String readLine() throws IOException {
        String line = channel.readLine();
        trace("S: " + (line.startsWith("+") ? "+ <challenge>" : line));
        return line;
    }

    private void trace(String s) {
        channel.trace(s);
    }

    private StoreLoginException failure(MessageId id, String what, boolean tokenRejected) {
        return failure(id, what, tokenRejected, null);
    }

    private StoreLoginException failure(MessageId id, String what, boolean tokenRejected, OAuthErrorChallenge error) {
        return new StoreLoginException(id, "IMAP server " + host + ":" + port + " " + what, tokenRejected,
                error == null ? null : error.status(), null);
    }

    private static boolean isOk(String tag, String line) {
        return startsWithIgnoreCase(line, tag + " OK");
    }

    /** The capabilities in a {@code [CAPABILITY ...]} response code at the start of the text, or null. */
    static Set<String> capabilityCode(String line) {
        int open = line.indexOf('[');
        if (open < 0 || !line.regionMatches(true, open + 1, "CAPABILITY ", 0, 11)) {
            return null;
        }
        int close = line.indexOf(']', open);
        return close < 0 ? null : words(line.substring(open + 12, close));
    }

    private static Set<String> words(String s) {
        Set<String> w = new TreeSet<>();
        for (String x : s.trim().split("\\s+")) {
            if (!x.isEmpty()) {
                w.add(x.toUpperCase(Locale.ROOT));
            }
        }
        return w;
    }

    private static Set<String> authMechanisms(Set<String> caps) {
        Set<String> m = new TreeSet<>();
        for (String c : caps) {
            if (c.startsWith("AUTH=")) {
                m.add(c.substring(5));
            }
        }
        if (m.isEmpty()) {
            m.add("no AUTH= capability at all");
        }
        return m;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
