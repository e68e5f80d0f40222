package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reports what happens to a resource's tokens: one log line with a stable id per event (resource, tenant, client id,
 * credential, mailbox, expiry; never a token or secret), the event to every {@link TokenListener}, and the last
 * refresh and last error for {@link TokenRefresher#status()}.
 */
final class TokenEvents {

    private static final Logger LOG = Logger.getLogger(TokenRefresher.class.getName());

    private final ConnectorSettings settings;
    private final boolean perMailbox;
    private final List<TokenListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Instant lastRefresh;
    private volatile TokenException lastError;

    TokenEvents(ConnectorSettings settings, boolean perMailbox) {
        this.settings = settings;
        this.perMailbox = perMailbox;
    }

    void add(TokenListener l) {
        listeners.add(l);
    }

    void remove(TokenListener l) {
        listeners.remove(l);
    }

    Instant lastRefresh() {
        return lastRefresh;
    }

    TokenException lastError() {
        return lastError;
    }

    void obtained(String mailbox, String credential, AccessToken t, boolean first) {
        lastRefresh = t.issuedAt();
        lastError = null;
        log(first ? Level.INFO : Level.FINE, () -> (first ? "OAM101" : "OAM102") + " Connector resource '"
                + settings.name() + "': access token " + (first ? "acquired " : "refreshed ") + who(mailbox, credential)
                + ", expires at " + t.expiresAt());
        fire(first ? TokenEvent.Type.ACQUIRED : TokenEvent.Type.REFRESHED, mailbox, credential, t.expiresAt(), null);
    }

    /** @param retryIn when the next background attempt is, or null for none (permanent failure) */
    void failed(String mailbox, String credential, TokenException e, int failures, Duration retryIn, Duration blocked) {
        lastError = e;
        // the exception message carries its own id (OAM110-OAM114) and what to fix
        log(e.isPermanent() ? Level.SEVERE : Level.WARNING, () -> e.getMessage() + (retryIn == null
                ? " [no automatic retry; next attempt on demand after " + blocked.toSeconds()
                        + " s or after a mail server rejects the token]"
                : " [attempt " + failures + " failed; retry in " + retryIn.toMillis() + " ms]"));
        fire(TokenEvent.Type.FAILED, mailbox, credential, null, e);
    }

    void invalidated(String mailbox, String credential) {
        log(Level.INFO, () -> "OAM104 Connector resource '" + settings.name() + "': a mail server rejected the access "
                + "token " + who(mailbox, credential) + "; fetching a fresh one");
        fire(TokenEvent.Type.INVALIDATED, mailbox, credential, null, null);
    }

    void staleReport(AccessToken rejected) {
        log(Level.FINE, () -> "OAM107 Connector resource '" + settings.name() + "': ignored a rejection report of a "
                + "token that is not the current one (" + rejected + ")");
    }

    void rejectedAgainTooSoon(Duration interval) {
        log(Level.FINE, () -> "OAM108 Connector resource '" + settings.name() + "': token rejected again within "
                + interval.toSeconds() + " s of the last fresh fetch; not fetching again yet");
    }

    void switched(String mailbox, String from, String to, TokenException e) {
        log(Level.WARNING, () -> "OAM105 Connector resource '" + settings.name() + "': the " + from + " was rejected ("
                + e.errorCode() + (e.correlationId() == null ? "" : ", correlation id " + e.correlationId())
                + "); switching to " + to + ". Put the new credential into " + settings.key(Setting.CLIENT_SECRET)
                + " / " + settings.key(Setting.CERTIFICATE_PATH) + " before the secondary one expires");
        fire(TokenEvent.Type.CREDENTIAL_SWITCHED, mailbox, to, null, e);
    }

    /** The credentials were read again and {@code changed} (their keys) differ: they are used from now on. */
    void reloaded(List<String> changed) {
        String which = String.join(",", changed);
        log(Level.INFO, () -> MessageId.CREDENTIAL_RELOADED.message("Connector resource '" + settings.name()
                + "': credential " + which + " changed in the configuration; using it from now on (no restart)"));
        fire(TokenEvent.Type.CREDENTIAL_RELOADED, null, which, null, null);
    }

    /** e.g. {@code (tenant t, client c, credential client-secret, mailbox m)}; never a secret. */
    String who(String mailbox, String credential) {
        StringBuilder sb = new StringBuilder("(");
        if (settings.provider() == ConnectorSettings.Provider.ENTRA && settings.tenantId() != null) {
            sb.append("tenant ").append(settings.tenantId()).append(", ");
        }
        if (settings.clientId() != null) {
            sb.append("client ").append(settings.clientId()).append(", ");
        }
        sb.append("credential ").append(credential);
        if (perMailbox) {
            sb.append(", mailbox ").append(mailbox);
        }
        return sb.append(')').toString();
    }

    private void fire(TokenEvent.Type type, String mailbox, String credential, Instant expiresAt, TokenException e) {
        if (listeners.isEmpty()) {
            return;
        }
        TokenEvent event = new TokenEvent(type, settings.name(), perMailbox ? mailbox : null, credential, expiresAt, e,
                Instant.now());
        for (TokenListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "OAM109 token listener {0} failed: {1}",
                        new Object[] {l.getClass().getName(), ex.getClass().getName()});
            }
        }
    }

    private static void log(Level level, Supplier<String> message) {
        LOG.log(level, message);
    }
}
