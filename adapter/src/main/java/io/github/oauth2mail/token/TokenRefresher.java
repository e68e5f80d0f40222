package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.failure.MessageId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;

/**
 * The token cache and refresher of one connector resource.
 * <ul>
 * <li>A valid token is served from memory, without locking and without a network call. "Valid" means more than
 * {@code min(30 s, 10% of its lifetime)} remains. A background refresh starts at half the lifetime.</li>
 * <li>Single flight: when no valid token is held, one fetch runs and every caller waits for it, at most
 * {@code token-wait-ms}. No caller ever gets an expired token.</li>
 * <li>{@link #invalidate}: when the reported token is the current one, one fresh fetch (MSAL4J skipCache) starts and
 * callers wait for it; at most one such fetch per cache entry in 5 s; a report of an older token does nothing.</li>
 * <li>Transient failures (I/O, timeouts, 5xx, 429): the still-valid token keeps being served; retries run in the
 * background with exponential back-off and jitter (1 s doubling to 5 min, but to 1 min while no valid token is held,
 * and never past the moment the held token stops being served), never before {@code Retry-After}. So once the
 * identity provider is back, sends recover within about a minute; callers fail fast while the next attempt is further
 * away than {@code token-wait-ms}.</li>
 * <li>Permanent failures (rejected credential, unknown client or tenant, bad grant): no background retry. Callers
 * without a valid token fail at once with the error and what to fix. The next request is made by the first caller
 * after 5 minutes, or at once when a mail server rejects the still-held token ({@link #invalidate}). The error stays
 * visible in {@link #status()}.</li>
 * <li>Credentials ({@link RotatingCredentials}): a secondary credential after the primary one is rejected (OAM105),
 * credentials read again from the configuration without a restart (a changed one lifts the permanent-error back-off,
 * OAM120), expiry warnings (OAM119); the active credential and the soonest expiry are in {@link #status()}.</li>
 * </ul>
 * Fetches run on their own threads ({@link RefresherThreads#fetches}); the refresh-ahead and retry timers
 * ({@link TokenTimer}) only hand fetches to them, so a caller's fetch never waits behind a timer or a slow refresh of
 * another cache entry. Time comes from a {@link Clock} and timers from a {@link TokenTimer}: tests run all of the above
 * in fake time. Owns daemon threads; {@link #close()} stops them.
 */
public final class TokenRefresher implements TokenProvider, AutoCloseable {

    private final ConnectorSettings settings;
    private final RotatingCredentials credentials;
    private final RefreshTiming timing;
    private final TokenEvents events;
    private final Clock clock;
    private final TokenTimer timer;
    private final ExecutorService fetches;
    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final LongAdder callersWaited = new LongAdder();
    private volatile boolean closed;

    TokenRefresher(ConnectorSettings settings, List<TokenSource> sources, RefreshTiming timing) {
        this(settings, sources, timing, Clock.systemUTC(), TokenTimer.daemon(settings.name()),
                RefresherThreads.fetches(settings.name()));
    }

    /** With the given clock, timer and fetch executor (tests: fake time); {@link #close()} closes both. */
    TokenRefresher(ConnectorSettings settings, List<TokenSource> sources, RefreshTiming timing, Clock clock,
                   TokenTimer timer, ExecutorService fetches) {
        this(settings, sources, null, timing, clock, timer, fetches);
    }

    /** With a credential reloader (null: the sources never change). */
    TokenRefresher(ConnectorSettings settings, List<TokenSource> sources, CredentialReloader reloader,
                   RefreshTiming timing, Clock clock, TokenTimer timer, ExecutorService fetches) {
        this.settings = settings;
        Credentials inOrder = new Credentials(sources);
        this.timing = timing;
        this.events = new TokenEvents(settings, inOrder.perMailbox());
        this.clock = clock;
        this.credentials = new RotatingCredentials(settings, inOrder, reloader, events, clock, this::retryNow);
        this.timer = timer;
        this.fetches = fetches;
    }

    /**
     * The refresher of a connector resource: builds its token sources (MSAL4J applications, Nimbus requests) once.
     * Makes no network call; the first {@link #token} does. Loads the trust store once.
     */
    public static TokenRefresher create(ConnectorSettings settings) {
        return create(settings, TlsSupport.sslContext(settings));
    }

    /** The same, with the resource's TLS context (built once by the caller from the trust store). */
    public static TokenRefresher create(ConnectorSettings settings, SSLContext tls) {
        return create(settings, tls, RefreshTiming.DEFAULT, Clock.systemUTC(), null, null);
    }

    /**
     * The refresher with its sources and a {@link CredentialReloader}, in the given time (tests: fake time); a null
     * timer or executor: the resource's own daemon threads.
     */
    static TokenRefresher create(ConnectorSettings settings, SSLContext tls, RefreshTiming timing, Clock clock,
                                 TokenTimer timer, ExecutorService fetches) {
        RefreshTokenStore refreshTokens = settings.provider() == ConnectorSettings.Provider.OAUTH2
                && settings.grant() == ConnectorSettings.Grant.REFRESH_TOKEN ? RefreshTokenStore.open(settings) : null;
        List<TokenSource> sources = TokenSources.create(settings, tls, refreshTokens);
        CredentialReloader reloader = new CredentialReloader(settings, tls, refreshTokens, clock.instant());
        return new TokenRefresher(settings, sources, reloader, timing, clock,
                timer != null ? timer : TokenTimer.daemon(settings.name()),
                fetches != null ? fetches : RefresherThreads.fetches(settings.name()));
    }

    @Override
    public AccessToken token(String mailbox) throws TokenException {
        if (closed) {
            throw closedError();
        }
        Slot slot = slot(mailbox);
        AccessToken t = slot.current;
        if (servable(slot, t, clock.instant())) {
            return t;
        }
        callersWaited.increment();
        credentials.rejectedBefore(slot.lastError); // a fixed credential is used at once, not after the back-off
        return await(slot, join(slot));
    }

    @Override
    public void invalidate(String mailbox, AccessToken rejected) {
        Slot slot = rejected == null || closed ? null : slots.get(key(mailbox));
        if (slot == null) {
            return;
        }
        synchronized (slot) {
            AccessToken cur = slot.current;
            if (cur == null || !cur.sameValueAs(rejected) || slot.invalidated) {
                events.staleReport(rejected);
                return;
            }
            Instant now = clock.instant();
            if (now.isBefore(slot.lastInvalidation.plus(timing.invalidateInterval()))) {
                events.rejectedAgainTooSoon(timing.invalidateInterval());
                return;
            }
            slot.invalidated = true;
            slot.lastInvalidation = now;
            slot.blockedUntil = Instant.EPOCH;
            if (slot.pending == null) {
                startFetch(slot);
            }
        }
        events.invalidated(slot.mailbox, credentials.active());
    }

    /** Registers a listener for token events (acquired, refreshed, failed, invalidated, credential switched). */
    public void addListener(TokenListener listener) {
        events.add(listener);
    }

    public void removeListener(TokenListener listener) {
        events.remove(listener);
    }

    /** A snapshot for health checks: expiry, last refresh, last error, active credential. */
    public TokenStatus status() {
        Instant expiry = null;
        for (Slot s : slots.values()) {
            AccessToken t = s.current;
            if (t != null && (expiry == null || t.expiresAt().isBefore(expiry))) {
                expiry = t.expiresAt();
            }
        }
        TokenException e = events.lastError();
        CredentialExpiry.Entry soonest = credentials.soonestExpiry();
        return new TokenStatus(settings.name(), activeCredential(), expiry, events.lastRefresh(),
                e == null ? null : e.errorCode(), e == null ? null : e.correlationId(),
                e == null ? null : e.occurredAt(), e == null ? null : e.getMessage(), e != null && e.isPermanent(),
                soonest == null ? null : soonest.credential(), soonest == null ? null : soonest.expiresAt());
    }

    /**
     * An admin fixed the cause of a permanent failure (e.g. granted consent in the tenant): lifts the permanent-error
     * back-off so that the next {@link #token} call asks the identity provider at once instead of after 5 minutes.
     */
    public void retryNow() {
        for (Slot s : slots.values()) {
            synchronized (s) {
                s.blockedUntil = Instant.EPOCH;
            }
        }
    }

    /** The credential in use: the primary one, or the secondary one after a switch. */
    public String activeCredential() {
        return credentials.active();
    }

    /** How many {@link #token} calls found no servable token and had to wait for (or fail on) a fetch. */
    long callersWaited() {
        return callersWaited.sum();
    }

    @Override
    public void close() {
        closed = true;
        timer.close();
        fetches.shutdownNow();
        credentials.close();
        for (Slot s : slots.values()) {
            synchronized (s) {
                s.cancelTimer();
                if (s.pending != null) {
                    s.pending.completeExceptionally(closedError());
                    s.pending = null;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TokenRefresher[" + settings.name() + ", credential " + activeCredential() + ", " + slots.size()
                + " cached, closed=" + closed + "]";
    }

    // ---- single flight ----

    private boolean servable(Slot slot, AccessToken t, Instant now) {
        return t != null && !slot.invalidated && t.isValidAt(now, timing.margin(t));
    }

    private CompletableFuture<AccessToken> join(Slot slot) throws TokenException {
        synchronized (slot) {
            Instant now = clock.instant();
            if (servable(slot, slot.current, now)) {
                return CompletableFuture.completedFuture(slot.current);
            }
            if (slot.pending != null) {
                if (slot.pendingStartsAt != null && slot.lastError != null
                        && slot.pendingStartsAt.isAfter(now.plus(settings.tokenWait()))) {
                    throw callerError(slot.lastError, " (next attempt at " + slot.pendingStartsAt + ")");
                }
                return slot.pending;
            }
            if (slot.lastError != null && now.isBefore(slot.blockedUntil)) {
                throw callerError(slot.lastError, " (no new request before " + slot.blockedUntil + ")");
            }
            return startFetch(slot);
        }
    }

    /** Starts a fetch now; caller holds the slot's monitor. */
    private CompletableFuture<AccessToken> startFetch(Slot slot) {
        CompletableFuture<AccessToken> f = new CompletableFuture<>();
        slot.pending = f;
        slot.pendingStartsAt = null;
        slot.cancelTimer();
        boolean skipCache = slot.current != null;
        try {
            fetches.execute(() -> run(slot, f, skipCache));
        } catch (RejectedExecutionException e) {
            slot.pending = null;
            f.completeExceptionally(closedError());
        }
        return f;
    }

    /** Timer task: starts the background refresh at half-life unless a fetch is already under way. */
    private void refreshAhead(Slot slot) {
        synchronized (slot) {
            slot.timer = null;
            if (!closed && slot.pending == null) {
                startFetch(slot);
            }
        }
    }

    /** Timer task: starts the scheduled retry {@code retry} (already joined by waiting callers). */
    private void retry(Slot slot, CompletableFuture<AccessToken> retry) {
        synchronized (slot) {
            slot.timer = null;
            if (slot.pending != retry) {
                return; // replaced (invalidation) or closed
            }
            try {
                fetches.execute(() -> run(slot, retry, true));
            } catch (RejectedExecutionException e) {
                slot.pending = null;
                retry.completeExceptionally(closedError());
            }
        }
    }

    /** One fetch (on a refresher thread), with the credentials' failover and reload ({@link RotatingCredentials}). */
    private void run(Slot slot, CompletableFuture<AccessToken> f, boolean skipCache) {
        synchronized (slot) {
            slot.pendingStartsAt = null;
        }
        RotatingCredentials.Outcome o = credentials.fetch(slot.mailbox, skipCache);
        if (o.error() == null) {
            succeeded(slot, f, o.token(), o.credential());
        } else {
            failed(slot, f, o.error(), o.credential());
        }
    }

    private void succeeded(Slot slot, CompletableFuture<AccessToken> f, AccessToken t, String credential) {
        boolean first;
        synchronized (slot) {
            first = slot.current == null;
            slot.current = t;
            slot.invalidated = false;
            slot.failures = 0;
            slot.lastError = null;
            slot.blockedUntil = Instant.EPOCH;
            slot.pending = null;
            slot.cancelTimer();
            schedule(slot, () -> refreshAhead(slot), timing.refreshAhead(t));
        }
        events.obtained(slot.mailbox, credential, t, first);
        f.complete(t);
    }

    private void failed(Slot slot, CompletableFuture<AccessToken> f, TokenException e, String credential) {
        Duration retryIn = null;
        int failures;
        synchronized (slot) {
            failures = ++slot.failures;
            slot.lastError = e;
            slot.pending = null;
            slot.cancelTimer();
            if (e.isPermanent()) {
                slot.blockedUntil = clock.instant().plus(timing.permanentBackoff());
            } else if (!closed) {
                Instant now = clock.instant();
                AccessToken held = slot.current;
                boolean valid = servable(slot, held, now);
                retryIn = timing.backoff(slot.failures, e.retryAfter(), !valid);
                if (valid) {
                    // never sleep past the point where the held token stops being served (then the outage cap applies)
                    Duration served = Duration.between(now, held.expiresAt().minus(timing.margin(held)));
                    if (served.compareTo(retryIn) < 0
                            && (e.retryAfter() == null || e.retryAfter().compareTo(served) <= 0)) {
                        retryIn = served.isNegative() ? Duration.ZERO : served;
                    }
                }
                CompletableFuture<AccessToken> retry = new CompletableFuture<>();
                slot.pending = retry;
                slot.pendingStartsAt = clock.instant().plus(retryIn);
                schedule(slot, () -> retry(slot, retry), retryIn);
            }
        }
        events.failed(slot.mailbox, credential, e, failures, retryIn, timing.permanentBackoff());
        f.completeExceptionally(e);
    }

    private AccessToken await(Slot slot, CompletableFuture<AccessToken> f) throws TokenException {
        Duration wait = settings.tokenWait();
        try {
            AccessToken t = f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (t.expiresAt().isAfter(clock.instant())) {
                return t;
            }
            throw new TokenException(MessageId.TOKEN_EXPIRED_BEFORE_USE, TokenException.Kind.TRANSIENT,
                    "Connector resource '" + settings.name() + "': the new access token " + who(slot)
                            + " expired before it could be used; check the clock",
                    "expired", null, null);
        } catch (ExecutionException e) {
            AccessToken fallback = stillValid(slot);
            if (fallback != null) {
                return fallback;
            }
            TokenException cause = e.getCause() instanceof TokenException ? (TokenException) e.getCause()
                    : new TokenException(MessageId.TOKEN_FETCH_UNEXPECTED, TokenException.Kind.TRANSIENT,
                    "Connector resource '" + settings.name()
                    + "': token fetch failed (" + e.getCause().getClass().getName() + ")", "internal_error", null, e);
            throw callerError(cause, "");
        } catch (TimeoutException e) {
            AccessToken fallback = stillValid(slot);
            if (fallback != null) {
                return fallback;
            }
            TokenException last = slot.lastError;
            throw new TokenException(MessageId.TOKEN_WAIT_EXCEEDED, TokenException.Kind.TRANSIENT,
                    "Connector resource '" + settings.name() + "': no access token " + who(slot) + " within "
                            + settings.key(Setting.TOKEN_WAIT_MS) + " ("
                    + wait.toMillis() + " ms)" + (last == null ? "" : "; last error: " + last.getMessage()),
                    last == null ? "timeout" : last.errorCode(), last == null ? null : last.correlationId(), null, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(MessageId.TOKEN_WAIT_INTERRUPTED, TokenException.Kind.TRANSIENT,
                    "Connector resource '" + settings.name()
                            + "': interrupted while waiting for an access token", "interrupted", null, e);
        }
    }

    /** The current token when it is not expired and not rejected, for callers whose fetch failed. */
    private AccessToken stillValid(Slot slot) {
        AccessToken t = slot.current;
        return t != null && !slot.invalidated && t.expiresAt().isAfter(clock.instant()) ? t : null;
    }

    // ---- helpers ----

    private Slot slot(String mailbox) {
        return slots.computeIfAbsent(key(mailbox), k -> new Slot(mailbox == null ? settings.mailbox() : mailbox));
    }

    /** The cache key: one entry per resource, or per mailbox (case-insensitive) for per-mailbox sources. */
    private String key(String mailbox) {
        if (!credentials.perMailbox()) {
            return "";
        }
        return (mailbox == null ? settings.mailbox() : mailbox).toLowerCase(Locale.ROOT);
    }

    private void schedule(Slot slot, Runnable task, Duration delay) {
        if (closed) {
            return;
        }
        try {
            slot.timer = timer.schedule(task, delay);
        } catch (RejectedExecutionException e) {
            slot.timer = null; // closing
        }
    }

    private String who(Slot slot) {
        return events.who(slot.mailbox, credentials.active());
    }

    private static TokenException callerError(TokenException e, String suffix) {
        return e.withSuffix(suffix);
    }

    private TokenException closedError() {
        return new TokenException(MessageId.RESOURCE_STOPPED, TokenException.Kind.PERMANENT, "Connector resource '"
                + settings.name()
                + "' is stopped; no access tokens are fetched", "closed", null, null);
    }
}
