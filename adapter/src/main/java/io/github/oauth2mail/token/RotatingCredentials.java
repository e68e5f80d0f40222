package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.MessageId;
import java.time.Clock;
import java.util.List;

/**
 * The credentials a {@link TokenRefresher} fetches with, kept current: which source is active (primary, or secondary
 * after a rejection, {@link Credentials}), reading them again from the configuration ({@link CredentialReloader}) and
 * warning before they expire ({@link CredentialExpiry}).
 * <ul>
 * <li>Rotation: when the primary credential is rejected as wrong or expired and a secondary one is configured, the
 * secondary one is used from then on (until the resource restarts, or the credentials change in the configuration);
 * the switch is logged (OAM105).</li>
 * <li>Rotation without restart: the credentials are read again (MicroProfile Config asked again, key and certificate
 * files read again) at most every 5 minutes with the fetches, and at most every second while the identity provider
 * rejects the credential (typed codes, {@link TokenErrors#reloadCredentials}). A changed credential is used at once:
 * {@code onChange} lifts the refresher's permanent-error back-off, the primary source is active again, and OAM120 /
 * audit OAM408 name the credential (never its value).</li>
 * <li>Expiry: certificates' {@code notAfter} and {@code credential-expires} are checked with each fetch and each
 * status; OAM119 once per threshold (30, 7, 1 days).</li>
 * </ul>
 */
final class RotatingCredentials {

    /** One fetch's outcome: a token or the error, and the credential ({@code client-secret}, ...) that gave it. */
    record Outcome(AccessToken token, TokenException error, String credential) {
    }

    private final ConnectorSettings settings;
    private final Credentials credentials;
    private final CredentialReloader reloader; // null: the sources are fixed (tests with scripted sources)
    private final CredentialExpiry expiry = new CredentialExpiry();
    private final TokenEvents events;
    private final Clock clock;
    private final Runnable onChange;

    /** @param onChange run when a credential changed in the configuration (lifts the permanent-error back-off) */
    RotatingCredentials(ConnectorSettings settings, Credentials credentials, CredentialReloader reloader,
                        TokenEvents events, Clock clock, Runnable onChange) {
        this.settings = settings;
        this.credentials = credentials;
        this.reloader = reloader;
        this.events = events;
        this.clock = clock;
        this.onChange = onChange;
    }

    /** The credential in use: the primary one, or the secondary one after a switch. */
    String active() {
        return credentials.active().credential();
    }

    /** True when tokens are per mailbox (one cache entry per mailbox). */
    boolean perMailbox() {
        return credentials.perMailbox();
    }

    /**
     * A caller found no servable token and the last fetch failed with {@code last}: when that was a rejected
     * credential, reads the credentials again (at most once a second), so a fixed one is used at once and not after the
     * permanent-error back-off.
     */
    void rejectedBefore(TokenException last) {
        if (reloader != null && last != null && TokenErrors.reloadCredentials(last)) {
            reload(true);
        }
    }

    /**
     * One fetch with the active credential (read again first when due); with a secondary credential, one more when the
     * primary is rejected; with a credential changed in the configuration since, one more with it.
     */
    Outcome fetch(String mailbox, boolean skipCache) {
        if (reloader != null) {
            reload(false); // at most every 5 min: picks up a rotated credential before the old one expires
        }
        expiry.check(current(), clock.instant());
        TokenSource source = credentials.active();
        boolean reloaded = false;
        while (true) {
            try {
                return new Outcome(source.fetch(mailbox, skipCache), null, source.credential());
            } catch (TokenException e) {
                TokenSource next = credentials.next(source, e, mailbox, events);
                if (next == null && !reloaded && reloader != null && TokenErrors.reloadCredentials(e) && reload(true)) {
                    reloaded = true; // the configuration has a new credential: try it now, once
                    next = credentials.active();
                }
                if (next == null) {
                    return new Outcome(null, e, source.credential());
                }
                source = next;
            } catch (RuntimeException e) {
                return new Outcome(null, new TokenException(MessageId.TOKEN_FETCH_UNEXPECTED,
                        TokenException.Kind.TRANSIENT, "Connector resource '" + settings.name() + "': unexpected "
                        + e.getClass().getName() + " while fetching a token " + events.who(mailbox, source.credential()),
                        "internal_error", null, e), source.credential());
            }
        }
    }

    /** Checks the expiries (OAM119 when a threshold was crossed); returns the soonest one, or null when none is known. */
    CredentialExpiry.Entry soonestExpiry() {
        List<CredentialExpiry.Entry> expiries = expiry.check(current(), clock.instant());
        return expiries.isEmpty() ? null : expiries.get(0);
    }

    /** The settings the credentials in use came from (the latest reload's, else the ones at start). */
    private ConnectorSettings current() {
        return reloader == null ? settings : reloader.current();
    }

    /**
     * Reads the credentials again when due; when one changed, its new sources replace the old ones and
     * {@code onChange} runs.
     *
     * @return true when a credential changed
     */
    private boolean reload(boolean rejected) {
        CredentialReloader.Result r = reloader.reload(clock.instant(), rejected);
        if (r == null) {
            return false;
        }
        if (r.sources() != null) {
            credentials.replace(r.sources());
        }
        events.reloaded(r.changed());
        onChange.run();
        expiry.check(r.settings(), clock.instant());
        return true;
    }

    /** The resource stopped: its sources let go of their HTTP clients. */
    void close() {
        credentials.close();
    }
}
