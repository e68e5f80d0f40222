package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.AccessToken;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * One attempt to open an authenticated SMTP connection: connect, greeting, EHLO, TLS (implicit, or STARTTLS which is
 * then required: no AUTH ever goes out in clear), EHLO again, AUTH with the configured mechanism. Whatever fails, the
 * socket is closed before the exception leaves.
 */
final class SmtpHandshake {

    private static final Logger LOG = Logger.getLogger(SmtpHandshake.class.getName());
    private static volatile String localName;

    private SmtpHandshake() {
    }

    /** An open, authenticated wire and what the server offered after TLS. */
    static final class Result {
        final SmtpWire wire;
        final ServerExtensions extensions;

        Result(SmtpWire wire, ServerExtensions extensions) {
            this.wire = wire;
            this.extensions = extensions;
        }
    }

    static Result open(ConnectorSettings s, SSLSocketFactory tls, SaslMechanism mechanism, String mailbox,
                       AccessToken token) throws MessagingException {
        String host = s.smtpHost();
        int port = s.smtpPort();
        String server = host + ":" + port;
        boolean implicit = s.smtpTls() == ConnectorSettings.Tls.IMPLICIT;
        String stage = "connect";
        SmtpWire wire = null;
        try {
            wire = SmtpWire.connect(host, port, implicit ? tls : null, s.connectTimeout(), s.readTimeout(),
                    s.mailDebug(), "[" + mailbox + " " + server + "]");
            stage = "greeting";
            wire.stage(stage);
            SmtpReply greeting = wire.readReply();
            if (greeting.code() != 220) {
                throw new AdapterMessagingException(MessageId.SMTP_SESSION_REFUSED, "SMTP server " + server
                        + " refused the connection: " + greeting, greeting.code(), greeting.toString(), null);
            }
            stage = "EHLO";
            ServerExtensions ext = ehlo(wire, server);
            if (!implicit) {
                if (!ext.has("STARTTLS")) {
                    throw new AdapterMessagingException(MessageId.SMTP_STARTTLS_UNAVAILABLE, "SMTP server " + server
                            + " does not offer STARTTLS, which "
                            + s.key(Setting.SMTP_TLS) + "=starttls requires (the token is never sent in clear). Check "
                            + "that nothing between here and the server strips STARTTLS, or use "
                            + s.key(Setting.SMTP_TLS) + "=implicit with the server's SMTPS port (465)");
                }
                stage = "STARTTLS";
                SmtpReply r = wire.command("STARTTLS");
                if (r.code() != 220) {
                    throw new AdapterMessagingException(MessageId.SMTP_STARTTLS_UNAVAILABLE, "SMTP server " + server
                            + " refused STARTTLS: " + r, r.code(), r.toString(), null);
                }
                stage = "TLS handshake";
                wire.startTls(tls, host, port);
                stage = "EHLO after STARTTLS";
                ext = ehlo(wire, server);
            }
            if (!wire.isTls()) {
                throw new IllegalStateException("no TLS before AUTH");
            }
            if (!ext.authMechanisms().contains(mechanism.name())) {
                throw new AdapterMessagingException(MessageId.SMTP_MECHANISM_NOT_OFFERED, "SMTP server " + server
                        + " does not offer SASL mechanism "
                        + mechanism.name() + " (it offers: " + (ext.has("AUTH") ? String.join(" ", ext.authMechanisms())
                        : "no AUTH at all") + "); set " + s.key(Setting.SASL_MECHANISM) + " to XOAUTH2 or OAUTHBEARER "
                        + "as the server offers, or check that SMTP AUTH is enabled on this server and port");
            }
            stage = "AUTH";
            mechanism.authenticate(wire, mailbox, token, host, port);
            return new Result(wire, ext);
        } catch (SmtpAuthenticationException e) {
            quitQuietly(wire);
            throw e;
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(wire);
            throw e;
        } catch (Error e) {
            closeQuietly(wire);
            throw e;
        } catch (WireFault e) {
            closeQuietly(wire);
            throw new AdapterMessagingException(e);
        } catch (SSLException e) {
            closeQuietly(wire);
            if (implicit && "connect".equals(stage)) {
                throw new AdapterMessagingException(MessageId.SMTP_TLS_FAILED, "TLS handshake with SMTP server "
                        + server
                        + " failed with "
                        + "implicit TLS (" + s.key(Setting.SMTP_TLS) + "=implicit): " + e.getMessage() + ". If this "
                        + "port speaks plain SMTP first (587, 25), set " + s.key(Setting.SMTP_TLS) + "=starttls; "
                        + "else the server certificate must be trusted (JVM trust store or "
                        + s.key(Setting.TRUST_STORE_PATH) + ") and name " + host, e);
            }
            throw new AdapterMessagingException(MessageId.SMTP_TLS_FAILED, "TLS with SMTP server " + server
                    + " failed ("
                    + stage + "): "
                    + e.getMessage() + ". The server certificate must be trusted (JVM trust store or "
                    + s.key(Setting.TRUST_STORE_PATH) + ") and name " + host, e);
        } catch (SocketTimeoutException e) {
            closeQuietly(wire);
            Duration limit = "connect".equals(stage) ? s.connectTimeout() : s.readTimeout();
            throw new AdapterMessagingException(MessageId.SMTP_NO_ANSWER, "SMTP server " + server + " did not answer ("
                    + stage + ") within "
                    + limit.toMillis() + " ms (" + s.key("connect".equals(stage) ? Setting.CONNECT_TIMEOUT_MS
                    : Setting.READ_TIMEOUT_MS) + ")", e);
        } catch (IOException e) {
            closeQuietly(wire);
            throw new AdapterMessagingException(MessageId.SMTP_CONNECT_FAILED, "cannot open SMTP connection to "
                    + server + " (" + stage + "): " + e, e);
        }
    }

    private static ServerExtensions ehlo(SmtpWire wire, String server) throws IOException, MessagingException {
        SmtpReply r = wire.command("EHLO " + localHostName());
        if (r.code() != 250) {
            throw new AdapterMessagingException(MessageId.SMTP_SESSION_REFUSED, "SMTP server " + server
                    + " refused EHLO: "
                    + r, r.code(), r.toString(), null);
        }
        return ServerExtensions.parse(r);
    }

    /** QUIT (short wait) and close, after a failed AUTH: the server may answer further AUTH with 503. */
    private static void quitQuietly(SmtpWire wire) {
        if (wire == null) {
            return;
        }
        try {
            wire.setReadTimeout(Duration.ofSeconds(2));
            wire.command("QUIT");
        } catch (IOException e) {
            LOG.log(Level.FINEST, "QUIT after failed AUTH", e);
        } finally {
            wire.close();
        }
    }

    private static void closeQuietly(SmtpWire wire) {
        if (wire != null) {
            wire.close();
        }
    }

    /** The EHLO argument: this host's name if it is a plain domain name, else its address literal. */
    static String localHostName() {
        String n = localName;
        if (n == null) {
            try {
                InetAddress a = InetAddress.getLocalHost();
                String h = a.getCanonicalHostName();
                if (h != null && h.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?") && !h.matches("[0-9.]+")) {
                    n = h;
                } else {
                    String ip = a.getHostAddress();
                    n = ip.indexOf(':') >= 0 ? "[IPv6:" + ip + "]" : "[" + ip + "]";
                }
            } catch (IOException | SecurityException e) {
                n = "localhost";
            }
            localName = n;
        }
        return n;
    }
}
