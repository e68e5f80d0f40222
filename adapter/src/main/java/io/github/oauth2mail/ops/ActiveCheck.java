package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.transport.SmtpConnection;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLSocketFactory;

/**
 * The active health check of a connector resource (MBean operation {@code check()}): asks the refresher for a token
 * (from its cache when valid; a request to the identity provider only when needed and not held back by its back-off)
 * and, when the mail server refused the last connection, opens and closes one SMTP connection (SMTP mode only: with
 * {@code send-via=graph} the token is all it checks). At most one probe per 30 s, so a health endpoint polled often neither hammers the identity provider nor uses up the mailbox's connections.
 */
final class ActiveCheck {

    static final Duration INTERVAL = Duration.ofSeconds(30);

    private final ConnectorSettings settings;
    private final SSLSocketFactory tls;
    private final TokenProvider tokens;
    private Instant lastProbe = Instant.EPOCH;

    ActiveCheck(ConnectorSettings settings, SSLSocketFactory tls, TokenProvider tokens) {
        this.settings = settings;
        this.tls = tls;
        this.tokens = tokens;
    }

    /** Probes unless one ran within {@link #INTERVAL} ({@code force} ignores the interval); then the health. */
    Health run(boolean force, ConnectorMetrics metrics) {
        Instant now = Instant.now();
        synchronized (this) {
            if (!force && now.isBefore(lastProbe.plus(INTERVAL))) {
                return metrics.health();
            }
            lastProbe = now;
        }
        try {
            tokens.token(settings.mailbox());
        } catch (TokenException e) {
            return metrics.health(); // the refresher's status holds the error
        }
        // Graph mode: no probe of the mail server. SMTP is never used, and Graph has no authenticated request that
        // Mail.Send alone allows short of sending; its refusal clears with the next send it accepts.
        if (metrics.mailServerRefused() && settings.sendVia() == ConnectorSettings.SendVia.SMTP) {
            try (SmtpConnection c = SmtpConnection.open(settings, tls, tokens, settings.mailbox())) {
                metrics.mailServerAccepted();
            } catch (MessagingException | RuntimeException e) {
                metrics.mailServerRefused(e);
            }
        }
        return metrics.health();
    }
}
