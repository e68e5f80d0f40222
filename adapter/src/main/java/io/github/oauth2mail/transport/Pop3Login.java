package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens and authenticates one POP3 connection the adapter's way, before the Jakarta Mail implementation's POP3 store
 * takes it over (see {@link Pop3SocketFactory}): TCP with TCP_NODELAY and timeouts; TLS, implicit or by {@code STLS}
 * (RFC 2595), which is then required, with the server identity checked; {@code CAPA} (RFC 2449) must offer the SASL
 * mechanism; then {@code AUTH} (RFC 5034) with XOAUTH2 or OAUTHBEARER:
 * <ul>
 * <li>the initial response rides on the AUTH line only when that line stays within RFC 5034's 255 octets; otherwise
 * it goes on its own line after the server's {@code +};</li>
 * <li>an error challenge ({@code + <base64 JSON>}) is decoded and acknowledged (empty line for XOAUTH2, {@code ^A} for
 * OAUTHBEARER, RFC 7628 3.2.3) so the server sends its final {@code -ERR}, reported with the decoded status.</li>
 * </ul>
 * Secret lines never reach the trace ({@code OAM229} at FINE with {@code mail-debug=true}). Every reply is bounded by the
 * {@link LineChannel} (lines, bytes, {@code read-timeout-ms}), and AUTH answers at most {@value #MAX_CONTINUATIONS}
 * continuation requests.
 */
final class Pop3Login extends StoreLogin {

    private static final Logger LOG = Logger.getLogger(Pop3Login.class.getName());
    /** RFC 5034 4: the AUTH command line, initial response and CRLF included, must not exceed 255 octets. */
    static final int MAX_AUTH_LINE = 255;
    /** Initial response, error acknowledgement, cancel: a server asking for more is out of step. */
    static final int MAX_CONTINUATIONS = 3;
    /** RFC 3206 response codes that say the refusal is not about the credentials. */
    private static final String[] NOT_CREDENTIALS = {"[SYS/", "[IN-USE]", "[LOGIN-DELAY]"};

    /** An authenticated connection: its channel (for the trace and closing) and input after the AUTH reply. */
    static final class Result {
        final LineChannel channel;
        final InputStream in;

        Result(LineChannel channel, InputStream in) {
            this.channel = channel;
            this.in = in;
        }

        void close() {
            channel.abort();
        }
    }

    private Pop3Login(ConnectorSettings s, String mailbox) {
        super("POP3", s, s.pop3Host(), s.pop3Port(), mailbox);
    }

    /**
     * Connects to the configured POP3 server and authenticates {@code mailbox} with {@code token}.
     *
     * @throws StoreLoginException with an {@code OAM2xx} message (never the token); whatever fails, the socket is
     *                             closed first
     */
    static Result open(ConnectorSettings s, SSLSocketFactory tls, String mailbox, String token)
            throws StoreLoginException {
        Pop3Login l = new Pop3Login(s, mailbox);
        try {
            boolean implicit = s.pop3Tls() == ConnectorSettings.Tls.IMPLICIT;
            String greeting = l.connect(s, tls, implicit, LOG, MessageId.POP3_TRACE.id());
            if (!greeting.startsWith("+OK")) {
                throw l.failure(MessageId.STORE_SESSION_REFUSED, "refused the connection: " + abbreviate(greeting));
            }
            if (!implicit) {
                l.stage("CAPA");
                if (!l.capa().contains("STLS")) {
                    throw l.failure(MessageId.STORE_STARTTLS_UNAVAILABLE, "does not offer STLS, which "
                            + s.key(Setting.POP3_TLS) + "=starttls requires (the token is never sent in clear). Use "
                            + s.key(Setting.POP3_TLS) + "=implicit with the server's POP3S port (995), or check that "
                            + "nothing in between strips STLS");
                }
                l.stage("STLS");
                String r = l.command("STLS");
                if (!r.startsWith("+OK")) {
                    throw l.failure(MessageId.STORE_STARTTLS_UNAVAILABLE, "refused STLS: " + abbreviate(r));
                }
                l.startTls(tls, true); // RFC 2595 4: capabilities learned before TLS are void
            }
            l.stage("CAPA");
            Set<String> mechanisms = l.saslMechanisms(l.capa());
            if (!mechanisms.contains(l.mechanism.name())) {
                throw l.failure(MessageId.STORE_MECHANISM_NOT_OFFERED, "does not offer SASL mechanism "
                        + l.mechanism.name() + " (CAPA SASL: " + (mechanisms.isEmpty() ? "none" : String.join(" ",
                        mechanisms)) + "); set " + s.key(Setting.SASL_MECHANISM)
                        + " to XOAUTH2 or OAUTHBEARER as the server offers, or enable OAuth2 for POP3 on the server");
            }
            l.stage("AUTH");
            l.authenticate(token);
            return new Result(l.channel, l.channel.remainingInput());
        } catch (Error e) {
            l.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            throw l.failed(e, s);
        }
    }

    private void authenticate(String token) throws IOException {
        String b64 = Base64.getEncoder().encodeToString(mechanism.initialResponse(mailbox, token, host, port)
                .getBytes(StandardCharsets.UTF_8));
        String command = "AUTH " + mechanism.name();
        channel.stage("AUTH");
        boolean sent = command.length() + 1 + b64.length() + 2 <= MAX_AUTH_LINE;
        writeLine(sent ? command + " " + b64 : command, sent ? command + " <redacted>" : command);
        OAuthErrorChallenge error = null;
        int continuations = 0;
        while (true) {
            String line = readLine();
            if (line.startsWith("+OK")) {
                if (!sent) {
                    throw failure(MessageId.STORE_SESSION_REFUSED, "answered " + command + " with "
                            + abbreviate(line) + " before the token was sent (a server or something in between that "
                            + "does not check the token)");
                }
                return;
            }
            if (line.equals("+") || line.startsWith("+ ")) {
                if (++continuations > MAX_CONTINUATIONS) {
                    throw failure(MessageId.STORE_SESSION_REFUSED, "sent more than " + MAX_CONTINUATIONS
                            + " continuation requests during " + command + " (the exchange was over)");
                }
                if (!sent) {
                    writeLine(b64, "<redacted>");
                    sent = true;
                } else if (error == null) {
                    error = OAuthErrorChallenge.decode(line.substring(1).trim());
                    channel.trace("OAuth2 error challenge: " + error);
                    String ack = mechanism.errorAcknowledgement();
                    writeLine(ack, ack);
                } else {
                    writeLine("*", "*"); // RFC 5034 4: cancel the exchange
                }
            } else if (line.startsWith("-ERR")) {
                // before the token went out, a refusal says nothing about the token
                boolean rejected = error != null || sent && !notAboutCredentials(line);
                throw new StoreLoginException(rejected ? MessageId.STORE_TOKEN_REJECTED
                        : MessageId.STORE_SESSION_REFUSED, server + " " + (rejected ? "did not accept the "
                        + mechanism.name() + " access token" : "refused " + command) + " for mailbox " + mailbox + ": "
                        + abbreviate(line) + (error == null ? "" : " (OAuth2 error: " + error + ")"), rejected,
                        error == null ? null : error.status(), null);
            } else {
                throw failure(MessageId.STORE_SESSION_REFUSED, "answered " + command + " out of protocol: "
                        + abbreviate(line));
            }
        }
    }

    /** The capabilities (upper-case lines) of {@code CAPA}; empty when the server does not support CAPA. */
    private Set<String> capa() throws IOException {
        Set<String> caps = new TreeSet<>();
        if (!command("CAPA").startsWith("+OK")) {
            return caps;
        }
        while (true) {
            String line = readLine();
            if (line.equals(".")) {
                return caps;
            }
            caps.add((line.startsWith(".") ? line.substring(1) : line).trim().toUpperCase(Locale.ROOT));
        }
    }

    private Set<String> saslMechanisms(Set<String> caps) {
        Set<String> m = new TreeSet<>();
        for (String c : caps) {
            if (c.startsWith("SASL ")) {
                for (String w : c.substring(5).trim().split("\\s+")) {
                    if (!w.isEmpty()) {
                        m.add(w);
                    }
                }
            }
        }
        return m;
    }

    private String command(String command) throws IOException {
        channel.stage(command);
        writeLine(command, command);
        return readLine();
    }

    /** Sends a line; the server's answer to it is a new reply, bounded from now. */
    private void writeLine(String line, String shown) throws IOException {
        channel.beginReply();
        channel.queue(line, shown);
        channel.flush();
    }

    @Override
    String readLine() throws IOException {
        String line = channel.readLine();
        channel.trace("S: " + (line.equals("+") || line.startsWith("+ ") ? "+ <challenge>" : line));
        return line;
    }

    private StoreLoginException failure(MessageId id, String what) {
        return new StoreLoginException(id, server + " " + what, false, null, null);
    }

    private static boolean notAboutCredentials(String errLine) {
        String text = errLine.substring(4).trim().toUpperCase(Locale.ROOT);
        for (String code : NOT_CREDENTIALS) {
            if (text.startsWith(code)) {
                return true;
            }
        }
        return false;
    }
}
