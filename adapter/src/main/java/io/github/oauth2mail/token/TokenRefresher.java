package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

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
 * background with exponential back-off and jitter (1 s doubling to 5 min), never before {@code Retry-After}.</li>
 * <li>Permanent failures (rejected credential, unknown client or tenant, bad grant): no background retry. Callers
 * without a valid token fail at once with the error and what to fix. The next request is made by the first caller
 * after 5 minutes, or at once after an {@link #invalidate}. The error stays visible in {@link #status()}.</li>
 * <li>Rotation: when the primary credential is rejected as wrong or expired and a secondary one is configured, the
 * secondary one is used from then on (until the resource restarts); the switch is logged (OAM105) and shown in
 * {@link #status()}.</li>
 * </ul>
 * Owns daemon threads; {@link #close()} stops them.
 */
public final class TokenRefresher implements TokenProvider, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TokenRefresher.class.getName());

    private final ConnectorSettings settings;
    private final List<TokenSource> sources;
    private final RefreshTiming timing;
    private final boolean perMailbox;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final List<TokenListener> listeners = new CopyOnWriteArrayList<>();
    private volatile int active;
    private volatile boolean closed;
    private volatile Instant lastRefresh;
    private volatile TokenException lastError;
    private final java.util.concurrent.atomic.LongAdder callersWaited = new java.util.concurrent.atomic.LongAdder();

    TokenRefresher(ConnectorSettings settings, List<TokenSource> sources, RefreshTiming timing) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no token source");
        }
        this.settings = settings;
        this.sources = List.copyOf(sources);
        this.timing = timing;
        this.perMailbox = sources.get(0).perMailbox();
        this.scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads(settings.name()));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * The refresher of a connector resource: builds its token sources (MSAL4J applications, Nimbus requests) once.
     * Makes no network call; the first {@link #token} does.
     */
    public static TokenRefresher create(ConnectorSettings settings) {
        return new TokenRefresher(settings, TokenSources.create(settings), RefreshTiming.DEFAULT);
    }

    @Override
    public AccessToken token(String mailbox) throws TokenException {
        if (closed) {
            throw closedError();
        }
        Slot slot = slot(mailbox);
        AccessToken t = slot.current;
        if (servable(slot, t, Instant.now())) {
            return t;
        }
        callersWaited.increment();
        return await(slot, join(slot));
    }

    /** How many {@link #token} calls found no servable token and had to wait for (or fail on) a fetch. */
    long callersWaited() {
        return callersWaited.sum();
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
                log(Level.FINE, () -> "OAM107 Connector resource '" + settings.name() + "': ignored a rejection report of "
                        + "a token that is not the current one (" + rejected + ")");
                return;
            }
            Instant now = Instant.now();
            if (now.isBefore(slot.lastInvalidation.plus(timing.invalidateInterval()))) {
                log(Level.FINE, () -> "OAM108 Connector resource '" + settings.name() + "': token rejected again within "
                        + timing.invalidateInterval().toSeconds() + " s of the last fresh fetch; not fetching again yet");
                return;
            }
            slot.invalidated = true;
            slot.lastInvalidation = now;
            slot.blockedUntil = Instant.EPOCH;
            if (slot.pending == null) {
                startFetch(slot);
            }
        }
        log(Level.INFO, () -> "OAM104 Connector resource '" + settings.name() + "': a mail server rejected the access "
                + "token " + who(slot) + "; fetching a fresh one");
        fire(TokenEvent.Type.INVALIDATED, slot, null, null);
    }

    /** Registers a listener for token events (acquired, refreshed, failed, invalidated, credential switched). */
    public void addListener(TokenListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TokenListener listener) {
        listeners.remove(listener);
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
        TokenException e = lastError;
        return new TokenStatus(settings.name(), sources.get(active).credential(), expiry, lastRefresh,
                e == null ? null : e.errorCode(), e == null ? null : e.correlationId(),
                e == null ? null : e.occurredAt(), e == null ? null : e.getMessage(), e != null && e.isPermanent());
    }

    /** The credential in use: the primary one, or the secondary one after a switch. */
    public String activeCredential() {
        return sources.get(active).credential();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
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
            Instant now = Instant.now();
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
            scheduler.execute(() -> run(slot, f, skipCache));
        } catch (RejectedExecutionException e) {
            slot.pending = null;
            f.completeExceptionally(closedError());
        }
        return f;
    }

    private void refreshAhead(Slot slot) {
        CompletableFuture<AccessToken> f;
        synchronized (slot) {
            slot.timer = null;
            if (closed || slot.pending != null) {
                return;
            }
            f = new CompletableFuture<>();
            slot.pending = f;
        }
        run(slot, f, true);
    }

    private void run(Slot slot, CompletableFuture<AccessToken> f, boolean skipCache) {
        synchronized (slot) {
            slot.pendingStartsAt = null;
        }
        while (true) {
            TokenSource source = sources.get(active);
            try {
                succeeded(slot, f, source.fetch(slot.mailbox, skipCache), source);
                return;
            } catch (TokenException e) {
                if (TokenErrors.credentialRejected(e) && switchCredential(source, e, slot)) {
                    continue;
                }
                failed(slot, f, e, source);
                return;
            } catch (RuntimeException e) {
                failed(slot, f, new TokenException(TokenException.Kind.TRANSIENT, "OAM117 Connector resource '"
                        + settings.name() + "': unexpected " + e.getClass().getName() + " while fetching a token "
                        + who(slot), "internal_error", null, e), source);
                return;
            }
        }
    }

    private void succeeded(Slot slot, CompletableFuture<AccessToken> f, AccessToken t, TokenSource source) {
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
        lastRefresh = t.issuedAt();
        lastError = null;
        log(first ? Level.INFO : Level.FINE, () -> (first ? "OAM101" : "OAM102") + " Connector resource '"
                + settings.name() + "': access token " + (first ? "acquired " : "refreshed ") + who(slot)
                + ", expires at " + t.expiresAt());
        fire(first ? TokenEvent.Type.ACQUIRED : TokenEvent.Type.REFRESHED, slot, t.expiresAt(), null);
        f.complete(t);
    }

    private void failed(Slot slot, CompletableFuture<AccessToken> f, TokenException e, TokenSource source) {
        Duration retryIn = null;
        synchronized (slot) {
            slot.failures++;
            slot.lastError = e;
            slot.pending = null;
            slot.cancelTimer();
            if (e.isPermanent()) {
                slot.blockedUntil = Instant.now().plus(timing.permanentBackoff());
            } else {
                retryIn = timing.backoff(slot.failures, e.retryAfter());
                CompletableFuture<AccessToken> retry = new CompletableFuture<>();
                slot.pending = retry;
                slot.pendingStartsAt = Instant.now().plus(retryIn);
                schedule(slot, () -> run(slot, retry, true), retryIn);
            }
        }
        lastError = e;
        Duration in = retryIn;
        log(e.isPermanent() ? Level.SEVERE : Level.WARNING, () -> e.getMessage()
                + (in == null ? " [no automatic retry; next attempt on demand after "
                        + timing.permanentBackoff().toMinutes() + " min or after a token rejection]"
                        : " [retry " + slot.failures + " in " + in.toMillis() + " ms]"));
        fire(TokenEvent.Type.FAILED, slot, null, e);
        f.completeExceptionally(e);
    }

    private boolean switchCredential(TokenSource rejected, TokenException e, Slot slot) {
        String from;
        String to;
        synchronized (this) {
            int idx = sources.indexOf(rejected);
            if (idx != active) {
                return true; // another thread switched already: try the active one
            }
            if (idx + 1 >= sources.size()) {
                return false;
            }
            active = idx + 1;
            from = rejected.credential();
            to = sources.get(active).credential();
        }
        log(Level.WARNING, () -> "OAM105 Connector resource '" + settings.name() + "': the " + from + " was rejected ("
                + e.errorCode() + (e.correlationId() == null ? "" : ", correlation id " + e.correlationId())
                + "); switching to " + to + ". Replace " + settings.key(Setting.CLIENT_SECRET) + " / "
                + settings.key(Setting.CERTIFICATE_PATH) + " with the new credential before the secondary one expires");
        fire(TokenEvent.Type.CREDENTIAL_SWITCHED, slot, null, e);
        return true;
    }

    private AccessToken await(Slot slot, CompletableFuture<AccessToken> f) throws TokenException {
        Duration wait = settings.tokenWait();
        try {
            AccessToken t = f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (t.expiresAt().isAfter(Instant.now())) {
                return t;
            }
            throw new TokenException(TokenException.Kind.TRANSIENT, "OAM115 Connector resource '" + settings.name()
                    + "': the new access token " + who(slot) + " expired before it could be used; check the clock",
                    "expired", null, null);
        } catch (ExecutionException e) {
            AccessToken fallback = stillValid(slot);
            if (fallback != null) {
                return fallback;
            }
            TokenException cause = e.getCause() instanceof TokenException ? (TokenException) e.getCause()
                    : new TokenException(TokenException.Kind.TRANSIENT, "OAM117 Connector resource '" + settings.name()
                    + "': token fetch failed (" + e.getCause().getClass().getName() + ")", "internal_error", null, e);
            throw callerError(cause, "");
        } catch (TimeoutException e) {
            AccessToken fallback = stillValid(slot);
            if (fallback != null) {
                return fallback;
            }
            TokenException last = slot.lastError;
            throw new TokenException(TokenException.Kind.TRANSIENT, "OAM115 Connector resource '" + settings.name()
                    + "': no access token " + who(slot) + " within " + settings.key(Setting.TOKEN_WAIT_MS) + " ("
                    + wait.toMillis() + " ms)" + (last == null ? "" : "; last error: " + last.getMessage()),
                    last == null ? "timeout" : last.errorCode(), last == null ? null : last.correlationId(), null, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(TokenException.Kind.TRANSIENT, "OAM115 Connector resource '" + settings.name()
                    + "': interrupted while waiting for an access token", "interrupted", null, e);
        }
    }

    /** The current token when it is not expired and not rejected, for callers whose fetch failed. */
    private static AccessToken stillValid(Slot slot) {
        AccessToken t = slot.current;
        return t != null && !slot.invalidated && t.expiresAt().isAfter(Instant.now()) ? t : null;
    }

    // ---- helpers ----

    private Slot slot(String mailbox) {
        return slots.computeIfAbsent(key(mailbox), k -> new Slot(mailbox == null ? settings.mailbox() : mailbox));
    }

    private String key(String mailbox) {
        if (!perMailbox) {
            return "";
        }
        return (mailbox == null ? settings.mailbox() : mailbox).toLowerCase(Locale.ROOT);
    }

    private void schedule(Slot slot, Runnable task, Duration delay) {
        if (closed) {
            return;
        }
        try {
            slot.timer = scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            slot.timer = null; // closing
        }
    }

    private TokenException callerError(TokenException e, String suffix) {
        return new TokenException(e.kind(), e.getMessage() + suffix, e.errorCode(), e.correlationId(), e.retryAfter(), e);
    }

    private TokenException closedError() {
        return new TokenException(TokenException.Kind.PERMANENT, "OAM116 Connector resource '" + settings.name()
                + "' is stopped; no access tokens are fetched", "closed", null, null);
    }

    /** e.g. {@code (tenant t, client c, credential client-secret, mailbox m)}; never a secret. */
    private String who(Slot slot) {
        StringBuilder sb = new StringBuilder("(");
        if (settings.provider() == ConnectorSettings.Provider.ENTRA && settings.tenantId() != null) {
            sb.append("tenant ").append(settings.tenantId()).append(", ");
        }
        if (settings.clientId() != null) {
            sb.append("client ").append(settings.clientId()).append(", ");
        }
        sb.append("credential ").append(sources.get(active).credential());
        if (perMailbox) {
            sb.append(", mailbox ").append(slot.mailbox);
        }
        return sb.append(')').toString();
    }

    private void fire(TokenEvent.Type type, Slot slot, Instant expiresAt, TokenException error) {
        if (listeners.isEmpty()) {
            return;
        }
        TokenEvent event = new TokenEvent(type, settings.name(), perMailbox ? slot.mailbox : null,
                sources.get(active).credential(), expiresAt, error, Instant.now());
        for (TokenListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "OAM109 token listener {0} failed: {1}",
                        new Object[] {l.getClass().getName(), e.getClass().getName()});
            }
        }
    }

    private static void log(Level level, Supplier<String> message) {
        LOG.log(level, message);
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "oauth2mail-token-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
