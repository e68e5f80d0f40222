package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.token.TokenEvent;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenListener;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.token.TokenRefresher;
import io.github.oauth2mail.token.TokenStatus;
import io.github.oauth2mail.transport.SmtpConnection;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import javax.net.ssl.SSLSocketFactory;

/**
 * Counters, last error and health of one connector resource, fed by the connection factory (connections, leases,
 * sends) and the token refresher (token events), and published as {@link ConnectorMetricsMBean}. Also writes the
 * {@link AuditLog}. Thread-safe; the hooks are cheap (adders and volatile writes).
 */
public final class ConnectorMetrics implements ConnectorMetricsMBean, TokenListener, AutoCloseable {

    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);

    private final ConnectorSettings settings;
    private final SSLSocketFactory tls;
    private final TokenProvider tokens;
    private final TokenRefresher refresher;
    private final AuditLog audit;
    private final ObjectName name;

    private final LongAdder acquired = new LongAdder();
    private final LongAdder refreshed = new LongAdder();
    private final LongAdder failTransient = new LongAdder();
    private final LongAdder failPermanent = new LongAdder();
    private final Map<String, LongAdder> failuresByCode = new ConcurrentHashMap<>();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder switches = new LongAdder();
    private final LongAdder created = new LongAdder();
    private final LongAdder destroyed = new LongAdder();
    private final AtomicInteger inUse = new AtomicInteger();
    private final LongAdder sendsOk = new LongAdder();
    private final Map<FailureKind, LongAdder> sendsFailed = new EnumMap<>(FailureKind.class);
    private volatile Instant lastSuccess;
    private volatile LastError lastError;
    private volatile LastError refusal;
    private volatile Instant lastProbe = Instant.EPOCH;

    /** The last error: token or mail, whichever came last. */
    private record LastError(String code, String correlationId, Instant at, String message, Throwable cause) {
    }

    private ConnectorMetrics(ConnectorSettings settings, SSLSocketFactory tls, TokenProvider tokens) {
        this.settings = settings;
        this.tls = tls;
        this.tokens = tokens;
        this.refresher = tokens instanceof TokenRefresher ? (TokenRefresher) tokens : null;
        this.audit = new AuditLog(settings);
        for (FailureKind k : FailureKind.values()) {
            sendsFailed.put(k, new LongAdder());
        }
        if (refresher != null) {
            refresher.addListener(audit);
            refresher.addListener(this);
        }
        this.name = JmxRegistration.register(settings.name(), this);
    }

    /** Starts metrics, audit log and MBean of a connector resource; {@link #close()} undoes all of it. */
    public static ConnectorMetrics start(ConnectorSettings settings, SSLSocketFactory tls, TokenProvider tokens) {
        return new ConnectorMetrics(settings, tls, tokens);
    }

    /** The MBean's name, or null when it could not be registered. */
    public ObjectName objectName() {
        return name;
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.removeListener(this);
            refresher.removeListener(audit);
        }
        JmxRegistration.unregister(name);
    }

    // ---- hooks ----

    public void connectionCreated() {
        created.increment();
        refusal = null;
    }

    public void connectionDestroyed() {
        destroyed.increment();
    }

    public void leaseTaken() {
        inUse.incrementAndGet();
    }

    public void leaseReturned() {
        inUse.decrementAndGet();
    }

    public void sendSucceeded() {
        sendsOk.increment();
        lastSuccess = Instant.now();
        refusal = null;
    }

    /** A send (or the connection it needed) failed. */
    public void sendFailed(String mailbox, Throwable e) {
        FailureKind kind = KnownFailures.classify(e);
        sendsFailed.get(kind).increment();
        LastError err = new LastError(KnownFailures.code(e), KnownFailures.correlationId(e), Instant.now(),
                e.getMessage(), e);
        lastError = err;
        if (kind.serverRefused()) {
            refusal = err;
        }
        if (kind == FailureKind.AUTH) {
            audit.authenticationFailed(mailbox, e);
        }
    }

    @Override
    public void onEvent(TokenEvent e) {
        switch (e.type()) {
            case ACQUIRED:
                acquired.increment();
                break;
            case REFRESHED:
                refreshed.increment();
                break;
            case FAILED:
                TokenException t = e.error();
                (t != null && t.isPermanent() ? failPermanent : failTransient).increment();
                String code = t == null || t.errorCode() == null ? "unknown" : t.errorCode();
                failuresByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
                if (t != null) {
                    lastError = new LastError(code, t.correlationId(), e.at(), t.getMessage(), t);
                }
                break;
            case INVALIDATED:
                invalidations.increment();
                break;
            case CREDENTIAL_SWITCHED:
                switches.increment();
                break;
            default:
                break;
        }
    }

    // ---- health ----

    /** The health now, from what is known (no network call). */
    public Health health() {
        LastError r = refusal;
        int open = getConnectionsOpen();
        int busy = getConnectionsInUse();
        return HealthCheck.evaluate(refresher == null ? null : refresher.status(), r == null ? null : r.cause(),
                r == null ? null : r.at(), settings.smtpHost() + ":" + settings.smtpPort(), busy,
                Math.max(0, open - busy), lastSuccess, Instant.now());
    }

    @Override
    public String check() {
        return probe(false).toString();
    }

    @Override
    public String retryToken() {
        if (refresher != null) {
            refresher.retryNow();
        }
        return probe(true).toString();
    }

    private Health probe(boolean force) {
        Instant now = Instant.now();
        synchronized (this) {
            if (!force && now.isBefore(lastProbe.plus(PROBE_INTERVAL))) {
                return health();
            }
            lastProbe = now;
        }
        try {
            tokens.token(settings.mailbox());
        } catch (TokenException e) {
            return health(); // the refresher's status holds the error
        }
        if (refusal != null) {
            try (SmtpConnection c = SmtpConnection.open(settings, tls, tokens, settings.mailbox())) {
                refusal = null;
            } catch (MessagingException | RuntimeException e) {
                LastError err = new LastError(KnownFailures.code(e), KnownFailures.correlationId(e), Instant.now(),
                        e.getMessage(), e);
                lastError = err;
                refusal = err;
            }
        }
        return health();
    }

    // ---- attributes ----

    @Override
    public String getConnectorName() {
        return settings.name();
    }

    @Override
    public String getMailbox() {
        return settings.mailbox();
    }

    @Override
    public String getMailServer() {
        return settings.smtpHost() + ":" + settings.smtpPort() + " (" + settings.smtpTls().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public String getActiveCredential() {
        return refresher == null ? null : refresher.activeCredential();
    }

    @Override
    public long getTokensAcquired() {
        return acquired.sum();
    }

    @Override
    public long getTokensRefreshed() {
        return refreshed.sum();
    }

    @Override
    public long getTokenFailuresTransient() {
        return failTransient.sum();
    }

    @Override
    public long getTokenFailuresPermanent() {
        return failPermanent.sum();
    }

    @Override
    public String getTokenFailuresByCode() {
        return new TreeMap<>(failuresByCode).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().sum())
                .collect(Collectors.joining(", "));
    }

    @Override
    public long getTokenInvalidations() {
        return invalidations.sum();
    }

    @Override
    public long getCredentialSwitches() {
        return switches.sum();
    }

    @Override
    public Date getTokenExpiry() {
        TokenStatus s = refresher == null ? null : refresher.status();
        return s == null ? null : date(s.expiresAt());
    }

    @Override
    public Date getLastTokenRefresh() {
        TokenStatus s = refresher == null ? null : refresher.status();
        return s == null ? null : date(s.lastRefresh());
    }

    @Override
    public long getConnectionsCreated() {
        return created.sum();
    }

    @Override
    public long getConnectionsDestroyed() {
        return destroyed.sum();
    }

    @Override
    public int getConnectionsOpen() {
        return (int) Math.max(0, created.sum() - destroyed.sum());
    }

    @Override
    public int getConnectionsInUse() {
        return Math.max(0, inUse.get());
    }

    @Override
    public int getConnectionsIdle() {
        return Math.max(0, getConnectionsOpen() - getConnectionsInUse());
    }

    @Override
    public long getSendsSucceeded() {
        return sendsOk.sum();
    }

    @Override
    public long getSendsFailed() {
        return sendsFailed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public long getSendsFailedAuth() {
        return sendsFailed.get(FailureKind.AUTH).sum();
    }

    @Override
    public long getSendsFailedThrottled() {
        return sendsFailed.get(FailureKind.THROTTLED).sum();
    }

    @Override
    public long getSendsFailedQuota() {
        return sendsFailed.get(FailureKind.QUOTA).sum();
    }

    @Override
    public long getSendsFailedToken() {
        return sendsFailed.get(FailureKind.TOKEN).sum();
    }

    @Override
    public long getSendsFailedConnection() {
        return sendsFailed.get(FailureKind.CONNECTION).sum() + sendsFailed.get(FailureKind.TLS).sum();
    }

    @Override
    public long getSendsFailedOther() {
        return sendsFailed.get(FailureKind.OTHER).sum();
    }

    @Override
    public Date getLastSuccess() {
        return date(lastSuccess);
    }

    @Override
    public String getLastErrorCode() {
        LastError e = lastError;
        return e == null ? null : e.code();
    }

    @Override
    public String getLastErrorCorrelationId() {
        LastError e = lastError;
        return e == null ? null : e.correlationId();
    }

    @Override
    public Date getLastErrorTime() {
        LastError e = lastError;
        return e == null ? null : date(e.at());
    }

    @Override
    public String getLastErrorMessage() {
        LastError e = lastError;
        return e == null ? null : e.message();
    }

    @Override
    public String getHealthStatus() {
        return health().status();
    }

    @Override
    public String getHealthReason() {
        return health().reason();
    }

    @Override
    public String getHealthData() {
        return health().dataText();
    }

    private static Date date(Instant i) {
        return i == null ? null : Date.from(i);
    }

    @Override
    public String toString() {
        return "ConnectorMetrics[" + settings.name() + ", " + name + "]";
    }
}
