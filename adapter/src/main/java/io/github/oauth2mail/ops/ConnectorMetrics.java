package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.token.TokenRefresher;
import io.github.oauth2mail.token.TokenStatus;
import io.github.oauth2mail.transport.SmtpSendException;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.management.ObjectName;
import javax.net.ssl.SSLSocketFactory;

/**
 * Counters, last error and health of one connector resource, fed by the connection factory (connections, leases,
 * sends) and the token refresher (token events), and published as {@link ConnectorMetricsMBean}. Also writes the
 * {@link AuditLog}. Thread-safe; the hooks are cheap (adders and volatile writes).
 */
public final class ConnectorMetrics implements ConnectorMetricsMBean, AutoCloseable {

    private static final String SMTP = "SMTP";

    private final ConnectorSettings settings;
    private final TokenRefresher refresher;
    private final AuditLog audit;
    private final ActiveCheck activeCheck;
    private final ObjectName name;

    private final TokenCounters tokenCounters = new TokenCounters();
    private final LongAdder created = new LongAdder();
    private final LongAdder destroyed = new LongAdder();
    private final AtomicInteger inUse = new AtomicInteger();
    private final LongAdder sendsOk = new LongAdder();
    private final Map<FailureKind, LongAdder> sendsFailed = new EnumMap<>(FailureKind.class);
    private final Map<FailureKind, LongAdder> storesFailed = new EnumMap<>(FailureKind.class);
    private volatile Instant lastSuccess;
    /** The last send/connect/store failure. */
    private volatile ErrorRecord lastSendError;
    /** The last refusal by each mail server's protocol (SMTP, IMAP, POP3), removed by a success of that protocol. */
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
    private final RefusalRate permanentRefusals = new RefusalRate();
    private volatile java.util.function.Supplier<Map<String, Integer>> mailboxLimits = Map::of;

    /** A mail server refused us: what, and which server. */
    private record Refusal(ErrorRecord error, String server) {
    }

    private ConnectorMetrics(ConnectorSettings settings, SSLSocketFactory tls, TokenProvider tokens) {
        this.settings = settings;
        this.refresher = tokens instanceof TokenRefresher ? (TokenRefresher) tokens : null;
        this.audit = new AuditLog(settings);
        this.activeCheck = new ActiveCheck(settings, tls, tokens);
        for (FailureKind k : FailureKind.values()) {
            sendsFailed.put(k, new LongAdder());
            storesFailed.put(k, new LongAdder());
        }
        if (refresher != null) {
            refresher.addListener(audit);
            refresher.addListener(tokenCounters);
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
            refresher.removeListener(tokenCounters);
            refresher.removeListener(audit);
        }
        JmxRegistration.unregister(name);
    }

    // ---- hooks ----

    public void connectionCreated() {
        created.increment();
        refusals.remove(SMTP);
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
        refusals.remove(SMTP);
    }

    /** A send (or the connection it needed) failed. */
    public void sendFailed(String mailbox, Throwable e) {
        FailureKind kind = KnownFailures.classify(e);
        sendsFailed.get(kind).increment();
        ErrorRecord err = ErrorRecord.of(e, Instant.now());
        lastSendError = err;
        if (kind.serverRefused()) {
            refusals.put(SMTP, new Refusal(err, smtpServer()));
        }
        if (kind == FailureKind.AUTH) {
            audit.authenticationFailed(mailbox, e);
        }
        SmtpSendException refused = KnownFailures.find(e, SmtpSendException.class);
        if (refused != null && refused.replyCode() >= 500 && refused.replyCode() < 600) {
            String code = KnownFailures.code(refused);
            permanentRefusals.record(mailbox, code, err.at());
            audit.permanentRefusal(mailbox, refused.messageId().id(), code);
        }
    }

    /** Where the MBean reads each mailbox's current connection limit (the runtime's adaptive budgets). */
    public void mailboxLimits(java.util.function.Supplier<Map<String, Integer>> limits) {
        this.mailboxLimits = limits;
    }

    /**
     * An IMAP/POP3 store connected ({@code failure} null) or failed to, after its one retry with a fresh token. A
     * failure counts by kind (StoreFailures*), becomes the last error, and a refusal by the server makes health DOWN
     * (OAM432) until that protocol connects again; a token rejected twice is audited (OAM406).
     *
     * @param protocol    {@code IMAP} or {@code POP3}
     * @param server      {@code host:port}
     * @param oauthStatus the status of the server's OAuth2 error challenge (e.g. {@code 401}), or null
     */
    public void storeConnected(String protocol, String mailbox, String server, Throwable failure, String oauthStatus) {
        if (failure == null) {
            refusals.remove(protocol);
            return;
        }
        FailureKind kind = KnownFailures.classify(failure);
        storesFailed.get(kind).increment();
        ErrorRecord err = ErrorRecord.of(failure, Instant.now());
        lastSendError = err;
        if (kind.serverRefused()) {
            refusals.put(protocol, new Refusal(err, protocol + " " + server));
        }
        if (kind == FailureKind.AUTH) {
            audit.storeAuthenticationFailed(protocol, mailbox, server, oauthStatus != null ? oauthStatus : "rejected");
        }
    }

    // ---- health ----

    /** The health now, from what is known (no network call). */
    public Health health() {
        Refusal r = refusals.values().stream().max(Comparator.comparing(x -> x.error().at())).orElse(null);
        int open = getConnectionsOpen();
        int busy = getConnectionsInUse();
        TokenStatus token = refresher == null ? null : refresher.status();
        Instant now = Instant.now();
        return HealthCheck.withCredentialExpiry(HealthCheck.withRefusals(HealthCheck.evaluate(token,
                r == null ? null : r.error().cause(), r == null ? null : r.error().at(),
                r == null ? smtpServer() : r.server(), smtpServer(), busy, Math.max(0, open - busy), lastSuccess,
                now), permanentRefusals.rising(now)), token, now);
    }

    private String smtpServer() {
        return AuditLog.submissionServer(settings);
    }

    @Override
    public String check() {
        return activeCheck.run(false, this).toString();
    }

    @Override
    public String retryToken() {
        if (refresher != null) {
            refresher.retryNow();
        }
        return activeCheck.run(true, this).toString();
    }

    /** True when the mail server refused the last connection and nothing succeeded since. */
    boolean mailServerRefused() {
        return refusals.containsKey(SMTP);
    }

    /** A probe connection succeeded. */
    void mailServerAccepted() {
        refusals.remove(SMTP);
    }

    /** A probe connection failed. */
    void mailServerRefused(Throwable e) {
        ErrorRecord err = ErrorRecord.of(e, Instant.now());
        lastSendError = err;
        if (KnownFailures.classify(e).serverRefused()) {
            refusals.put(SMTP, new Refusal(err, smtpServer()));
        }
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
        if (settings.sendVia() == io.github.oauth2mail.config.ConnectorSettings.SendVia.GRAPH) {
            return AuditLog.submissionServer(settings) + " (Microsoft Graph)";
        }
        return settings.smtpHost() + ":" + settings.smtpPort() + " (" + settings.smtpTls().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public String getActiveCredential() {
        return refresher == null ? null : refresher.activeCredential();
    }

    @Override
    public long getTokensAcquired() {
        return tokenCounters.acquired();
    }

    @Override
    public long getTokensRefreshed() {
        return tokenCounters.refreshed();
    }

    @Override
    public long getTokenFailuresTransient() {
        return tokenCounters.failedTransient();
    }

    @Override
    public long getTokenFailuresPermanent() {
        return tokenCounters.failedPermanent();
    }

    @Override
    public String getTokenFailuresByCode() {
        return tokenCounters.failuresByCode();
    }

    @Override
    public long getTokenInvalidations() {
        return tokenCounters.invalidations();
    }

    @Override
    public long getCredentialSwitches() {
        return tokenCounters.switches();
    }

    @Override
    public Date getTokenExpiry() {
        TokenStatus s = refresher == null ? null : refresher.status();
        return s == null ? null : date(s.expiresAt());
    }

    @Override
    public Date getCredentialExpiry() {
        TokenStatus s = refresher == null ? null : refresher.status();
        return s == null ? null : date(s.credentialExpiresAt());
    }

    @Override
    public String getExpiringCredential() {
        TokenStatus s = refresher == null ? null : refresher.status();
        return s == null ? null : s.expiringCredential();
    }

    @Override
    public Long getCredentialExpiryDays() {
        TokenStatus s = refresher == null ? null : refresher.status();
        return s == null || s.credentialExpiresAt() == null ? null
                : Math.floorDiv(java.time.Duration.between(Instant.now(), s.credentialExpiresAt()).toSeconds(), 86_400L);
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
    public long getStoreFailures() {
        return storesFailed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public long getStoreFailuresAuth() {
        return storesFailed.get(FailureKind.AUTH).sum();
    }

    @Override
    public long getStoreFailuresConnection() {
        return storesFailed.get(FailureKind.CONNECTION).sum() + storesFailed.get(FailureKind.TLS).sum();
    }

    @Override
    public long getStoreFailuresToken() {
        return storesFailed.get(FailureKind.TOKEN).sum();
    }

    @Override
    public String getMailboxLimits() {
        return format(mailboxLimits.get());
    }

    @Override
    public String getPermanentRefusals() {
        return format(permanentRefusals.totals());
    }

    private static String format(Map<String, ? extends Number> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public Date getLastSuccess() {
        return date(lastSuccess);
    }

    @Override
    public String getLastErrorCode() {
        ErrorRecord e = lastError();
        return e == null ? null : e.code();
    }

    @Override
    public String getLastErrorCorrelationId() {
        ErrorRecord e = lastError();
        return e == null ? null : e.correlationId();
    }

    @Override
    public Date getLastErrorTime() {
        ErrorRecord e = lastError();
        return e == null ? null : date(e.at());
    }

    @Override
    public String getLastErrorMessage() {
        ErrorRecord e = lastError();
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

    /** The later of the last token error and the last send error. */
    private ErrorRecord lastError() {
        ErrorRecord t = tokenCounters.lastError();
        ErrorRecord m = lastSendError;
        if (t == null || m == null) {
            return t == null ? m : t;
        }
        return t.at().isAfter(m.at()) ? t : m;
    }

    private static Date date(Instant i) {
        return i == null ? null : Date.from(i);
    }

    @Override
    public String toString() {
        return "ConnectorMetrics[" + settings.name() + ", " + name + "]";
    }
}
