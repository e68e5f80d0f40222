package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.AccessToken;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenProvider;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocketFactory;

/**
 * One physical SMTP submission connection, authenticated with an OAuth2 access token (XOAUTH2 or OAUTHBEARER) over
 * TLS. Built only on the JDK and the public Jakarta Mail API. Not thread-safe: one user at a time (the pool sees to
 * that); {@link #close()} may be called from any thread. Failures of {@link #send} are {@link SmtpSendException}s
 * that say whether the connection is broken, whether a retry is safe and whether delivery is unknown.
 */
public final class SmtpConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SmtpConnection.class.getName());
    private static final Duration QUIT_WAIT = Duration.ofSeconds(2);

    private final SmtpWire wire;
    private final ServerExtensions extensions;
    private final String mailbox;
    private final String server;
    private final Instant tokenExpiresAt;
    private final Duration readTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean broken;
    private volatile boolean busy;

    private SmtpConnection(SmtpHandshake.Result r, String mailbox, String server, Instant tokenExpiresAt,
                           Duration readTimeout) {
        this.wire = r.wire;
        this.extensions = r.extensions;
        this.mailbox = mailbox;
        this.server = server;
        this.tokenExpiresAt = tokenExpiresAt;
        this.readTimeout = readTimeout;
    }

    /**
     * Connects, secures and authenticates. A token the server rejects is invalidated and AUTH is retried once, with a
     * fresh token on a new connection.
     *
     * @throws SmtpAuthenticationException when the server rejects the token twice (or refuses AUTH)
     * @throws MessagingException          when no connection can be made, TLS or the server identity check fails,
     *                                     STARTTLS or the mechanism is not offered, or no token can be had (then with
     *                                     the secret-free {@link TokenException} as cause and message)
     */
    public static SmtpConnection open(ConnectorSettings settings, SSLSocketFactory tls, TokenProvider tokens,
                                      String mailbox) throws MessagingException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(tokens, "tokens");
        String problem = EnvelopeAddress.problem(mailbox, true);
        if (problem != null) {
            throw new AdapterMessagingException(MessageId.SMTP_MAILBOX_INVALID, "mailbox '"
                    + EnvelopeAddress.printable(mailbox) + "' " + problem);
        }
        SaslMechanism mechanism = SaslMechanism.forName(settings.saslMechanism().name());
        String server = settings.smtpHost() + ":" + settings.smtpPort();
        AccessToken token = token(tokens, mailbox);
        try {
            return open(settings, tls, mechanism, mailbox, token, server);
        } catch (SmtpAuthenticationException first) {
            if (!first.tokenRejected()) {
                throw first;
            }
            LOG.log(Level.INFO, "OAM201 SMTP server {0} rejected the access token for mailbox {1} ({2}); fetching a "
                    + "fresh token and retrying once", new Object[] {server, mailbox, first.serverReply()});
            tokens.invalidate(mailbox, token);
            AccessToken fresh = token(tokens, mailbox);
            try {
                return open(settings, tls, mechanism, mailbox, fresh, server);
            } catch (SmtpAuthenticationException second) {
                throw second.tokenRejected() ? second.afterFreshToken(first) : second;
            }
        }
    }

    private static SmtpConnection open(ConnectorSettings s, SSLSocketFactory tls, SaslMechanism m, String mailbox,
                                       AccessToken token, String server) throws MessagingException {
        SmtpHandshake.Result r = SmtpHandshake.open(s, tls, m, mailbox, token);
        return new SmtpConnection(r, mailbox, server, token.expiresAt(), s.readTimeout());
    }

    private static AccessToken token(TokenProvider tokens, String mailbox) throws MessagingException {
        try {
            return tokens.token(mailbox);
        } catch (TokenException e) {
            throw new AdapterMessagingException(e);
        }
    }

    /** The mailbox this connection authenticated as (and the envelope sender of everything it sends). */
    public String mailbox() {
        return mailbox;
    }

    /** When the token this connection authenticated with expires (servers may drop the connection then). */
    public Instant tokenExpiresAt() {
        return tokenExpiresAt;
    }

    /** False once closed or broken. Says nothing about whether the server still listens: see {@link #noop()}. */
    public boolean isOpen() {
        return !closed.get() && !broken && !wire.isClosed();
    }

    /**
     * Submits {@code msg} to {@code recipients}, with this connection's mailbox as envelope sender. All recipients or
     * none: if the server rejects any, nothing is sent ({@code mail.smtp.sendpartial=false}).
     *
     * @throws SmtpSendException on any failure; see its getters for what the caller may do next
     */
    public void send(Message msg, Address[] recipients) throws MessagingException {
        Objects.requireNonNull(msg, "msg");
        if (!isOpen()) {
            throw SmtpSendException.brokenBeforeData(MessageId.SMTP_CONNECTION_CLOSED, "SMTP connection to "
                    + server + " for " + mailbox + " is closed", null);
        }
        List<String> rcpts = Envelope.check(recipients, extensions.has("SMTPUTF8"));
        String headerProblem = MessageHeaders.problem(msg);
        if (headerProblem != null) {
            throw SmtpSendException.invalid(MessageId.SMTP_HEADER_INVALID, "not sent: " + headerProblem, null);
        }
        boolean utf8 = !EnvelopeAddress.isAscii(mailbox) || rcpts.stream().anyMatch(a -> !EnvelopeAddress.isAscii(a));
        if (!EnvelopeAddress.isAscii(mailbox) && !extensions.has("SMTPUTF8")) {
            throw SmtpSendException.invalid(MessageId.SMTP_NO_SMTPUTF8, "not sent: the mailbox " + mailbox
                    + " is not ASCII and " + server
                    + " does not offer SMTPUTF8", null);
        }
        busy = true;
        boolean dotSent = false;
        try {
            idleCheck();
            String mailFrom = "MAIL FROM:<" + mailbox + ">" + (utf8 ? " SMTPUTF8" : "")
                    + (extensions.has("8BITMIME") ? " BODY=8BITMIME" : "");
            Envelope.Rcpt outcome = Envelope.mailAndRcpt(wire, mailFrom, recipients, rcpts,
                    extensions.has("PIPELINING"));
            SmtpReply r = outcome.mailReply();
            if (r.code() != 250) {
                throw rejected(MessageId.SMTP_MAIL_FROM_REJECTED, server + " rejected MAIL FROM:<" + mailbox
                        + ">", r, null, null);
            }
            if (outcome.failed()) {
                throw rejected(MessageId.SMTP_RECIPIENTS_REJECTED, "not sent to anyone (partial sends are off): "
                        + server + " rejected "
                        + outcome.details(), outcome.worst(), outcome.validUnsent(), outcome.invalid());
            }
            r = wire.command("DATA");
            if (r.code() != 354) {
                throw rejected(MessageId.SMTP_DATA_REJECTED, server + " rejected DATA", r, null, null);
            }
            long uploadStart = System.nanoTime();
            try {
                MessageData.write(wire, msg, readTimeout);
            } catch (SmtpSendException e) {
                broken = true;
                throw e;
            }
            dotSent = true;
            wire.stage("end of message data");
            // the socket buffers may still hold much of the message: the server gets as long to read the rest as it
            // took to accept the upload, plus read-timeout-ms for the reply
            r = wire.readReply(System.nanoTime() - uploadStart);
            if (r.code() != 250) {
                if (r.code() == 421) {
                    markBroken();
                }
                throw SmtpSendException.dataRejected(MessageId.SMTP_MESSAGE_REJECTED, server
                        + " did not accept the message", r);
            }
        } catch (IOException e) {
            markBroken();
            MessageData.WriteFailed w = e instanceof MessageData.WriteFailed ? (MessageData.WriteFailed) e : null;
            Exception cause = w != null ? (Exception) w.getCause() : e;
            String why = w != null && w.timedOut ? "the server accepted no message data for "
                    + readTimeout.toMillis() + " ms (read-timeout-ms)"
                    : cause instanceof WireFault ? cause.getMessage() : cause.toString();
            if (dotSent || w != null && w.dotMayBeSent) {
                throw SmtpSendException.deliveryUnknown(MessageId.SMTP_DELIVERY_UNKNOWN,
                        "delivery unknown: the server may or may not have "
                        + "accepted the message; not resent to avoid a duplicate (" + server + ", " + mailbox
                        + ", no reply after the message data: " + why + ")", cause);
            }
            throw SmtpSendException.brokenBeforeData(MessageId.SMTP_BROKEN_BEFORE_DATA, "SMTP connection to "
                    + server + " for " + mailbox
                    + " failed before the message was sent: " + why, cause);
        } finally {
            busy = false;
        }
    }

    /**
     * A pooled connection may have received something while idle (a late {@code 554}, a {@code 421}, a close): read
     * as the next command's reply it would put every later reply out of step. Such a connection is replaced, before
     * anything is sent, so the caller's retry-before-DATA goes on on a fresh one.
     */
    private void idleCheck() throws IOException, SmtpSendException {
        String stray = wire.unsolicited();
        if (stray != null) {
            LOG.log(Level.FINE, "OAM252 SMTP server {0} sent data while the pooled connection for {1} was idle: {2}; "
                    + "connection replaced", new Object[] {server, mailbox, stray});
            markBroken();
            throw SmtpSendException.brokenBeforeData(MessageId.STRAY_REPLY_WHILE_IDLE, "SMTP server " + server
                    + " sent data while the pooled "
                    + "connection for " + mailbox + " was idle; connection replaced, nothing sent", null);
        }
    }

    private SmtpSendException rejected(MessageId id, String text, SmtpReply r, Address[] validUnsent,
                                       Address[] invalid) {
        boolean ok = r.code() != 421 && resetQuietly();
        if (!ok) {
            markBroken();
        }
        return SmtpSendException.rejected(id, text, r, validUnsent, invalid, !ok);
    }

    private boolean resetQuietly() {
        try {
            return wire.command("RSET").code() == 250;
        } catch (IOException e) {
            LOG.log(Level.FINE, "RSET failed", e);
            return false;
        }
    }

    /** NOOP: true when the server answered 250; false (and the connection broken) on anything else. */
    public boolean noop() {
        if (!isOpen()) {
            return false;
        }
        try {
            if (wire.command("NOOP").code() == 250) {
                return true;
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "NOOP failed", e);
        }
        markBroken();
        return false;
    }

    /** RSET: clears any half-done transaction. */
    public void reset() throws MessagingException {
        if (!isOpen()) {
            throw new AdapterMessagingException(MessageId.SMTP_CONNECTION_CLOSED, "SMTP connection to " + server
                    + " for " + mailbox + " is closed");
        }
        SmtpReply r;
        try {
            r = wire.command("RSET");
        } catch (IOException e) {
            markBroken();
            throw new AdapterMessagingException(MessageId.SMTP_RSET_FAILED, "RSET on " + server + " failed: " + e, e);
        }
        if (r.code() != 250) {
            markBroken();
            throw new AdapterMessagingException(MessageId.SMTP_RSET_FAILED, "RSET on " + server + " was refused: " + r,
                    r.code(), r.toString(), null);
        }
    }

    /** QUIT (waiting at most 2 s for the reply) and close the socket. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!broken && !busy && !wire.isClosed()) {
            try {
                wire.setReadTimeout(readTimeout.compareTo(QUIT_WAIT) < 0 ? readTimeout : QUIT_WAIT);
                wire.command("QUIT");
            } catch (IOException e) {
                LOG.log(Level.FINEST, "QUIT failed", e);
            }
        }
        if (busy || broken) {
            wire.abort();
        } else {
            wire.close();
        }
    }

    private void markBroken() {
        broken = true;
        wire.abort();
    }

    @Override
    public String toString() {
        return "SmtpConnection[" + mailbox + " " + server + (isOpen() ? "" : ", closed") + "]";
    }
}
