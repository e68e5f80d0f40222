package io.github.oauth2mail.jca;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.graph.GraphMailer;
import io.github.oauth2mail.ops.ConnectorMetrics;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.token.TokenRefresher;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * What one connector resource shares across its connection factories, Sessions and connections: validated settings,
 * the TLS socket factory, the token provider, metrics and MBean, the per-mailbox lease budget, and the pool for
 * non-managed use. Found in a {@link RuntimeRegistry} by {@link RuntimeKey}; closed when its last factory releases it
 * or the resource adapter stops.
 */
final class ConnectorRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConnectorRuntime.class.getName());

    private final ConnectorSettings settings;
    private final SSLSocketFactory tls;
    private final TokenProvider tokens;
    private final ConnectorMetrics metrics;
    private final Map<String, MailboxBudget> budgets = new ConcurrentHashMap<>();
    private final Set<SmtpManagedConnection> managed = ConcurrentHashMap.newKeySet();
    private final SendRetry retry;
    private final Map<String, AtomicInteger> createdPerMailbox = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private DefaultConnectionManager defaultManager;
    private final GraphMailer graph;

    ConnectorRuntime(ConnectorSettings settings) {
        this(settings, SendRetry.real());
    }

    /** {@code retry}: the clock and sleeper of send retries and of the per-mailbox budgets (fake in tests). */
    ConnectorRuntime(ConnectorSettings settings, SendRetry retry) {
        this.settings = settings;
        this.retry = retry;
        SSLContext context = TlsSupport.sslContext(settings); // the trust store is read once, for mail and tokens
        this.tls = TlsSupport.socketFactory(settings, context);
        this.tokens = TokenRefresher.create(settings, context);
        ConnectorMetrics m = null;
        try {
            m = ConnectorMetrics.start(settings, tls, tokens);
        } finally {
            if (m == null) {
                closeTokens();
            }
        }
        this.metrics = m;
        m.mailboxLimits(this::mailboxLimits);
        this.graph = settings.sendVia() == ConnectorSettings.SendVia.GRAPH
                ? GraphMailer.create(settings, context, tokens, retry.clock(), retry::pause) : null;
    }

    /** Counters, audit log, health and the JMX MBean of this resource. */
    ConnectorMetrics metrics() {
        return metrics;
    }

    ConnectorSettings settings() {
        return settings;
    }

    SSLSocketFactory tls() {
        return tls;
    }

    TokenProvider tokens() {
        return tokens;
    }

    /**
     * At most max-connections-per-mailbox leases (connections in use) per mailbox at once, for all its factories;
     * fewer while the server refuses sessions as too many (issue #14: the budget adapts).
     */
    MailboxBudget budget(String mailbox) {
        return budgets.computeIfAbsent(norm(mailbox), m -> new MailboxBudget(settings.maxConnectionsPerMailbox(),
                retry.clock(), limit -> limitChanged(m, limit)));
    }

    /** The current connection limit of every mailbox that has sent through this resource. */
    Map<String, Integer> mailboxLimits() {
        Map<String, Integer> m = new TreeMap<>();
        budgets.forEach((mailbox, b) -> m.put(mailbox, b.limit()));
        return m;
    }

    /** The Microsoft Graph mailer with {@code send-via=graph}; null with SMTP. */
    GraphMailer graph() {
        return graph;
    }

    SendRetry retry() {
        return retry;
    }

    void opened(SmtpManagedConnection mc) {
        managed.add(mc);
    }

    void destroyed(SmtpManagedConnection mc) {
        managed.remove(mc);
    }

    private void limitChanged(String mailbox, int limit) {
        LOG.info("OAM308 Connector resource '" + settings.name() + "': SMTP connection limit for mailbox " + mailbox
                + " is now " + limit + " of " + settings.maxConnectionsPerMailbox() + " ("
                + (limit < settings.maxConnectionsPerMailbox() ? "the server refused a session as one too many; "
                + "other nodes or applications probably send as this mailbox" : "raised again after successful sends")
                + ")");
        closeIdleAbove(mailbox, limit);
    }

    /** After a lease is returned: while the mailbox's limit is lowered, idle connections above it are closed. */
    void returned(String mailbox, MailboxBudget budget) {
        int limit = budget.limit();
        if (limit < budget.max()) {
            closeIdleAbove(norm(mailbox), limit);
        }
    }

    /**
     * Before {@code connecting} opens a session for the mailbox (its own was closed, or it is new): while the limit is
     * lowered, close idle sessions of this node so that with the new one it holds at most the limit. Without this a
     * pool that hands out the connection whose session a {@code 432} closed (the most recently returned one) opens a
     * session beyond the limit on every send while an older idle one keeps its slot at the server: with every node
     * doing so, the mailbox stays over its limit and every send is refused until its deadline.
     */
    void beforeConnect(String mailbox, SmtpManagedConnection connecting) {
        MailboxBudget budget = budgets.get(norm(mailbox));
        if (budget != null && budget.limit() < budget.max()) {
            closeIdleAbove(norm(mailbox), budget.limit() - 1, connecting);
        }
    }

    /** An idle authenticated session holds one of the server's slots: close idle ones above {@code limit}. */
    private void closeIdleAbove(String mailbox, int limit) {
        closeIdleAbove(mailbox, limit, null);
    }

    private void closeIdleAbove(String mailbox, int limit, SmtpManagedConnection except) {
        int open = 0;
        for (SmtpManagedConnection mc : managed) {
            if (mc != except && mc.isFor(mailbox) && mc.isConnected()) {
                open++;
            }
        }
        for (SmtpManagedConnection mc : managed) {
            if (open <= limit) {
                break;
            }
            if (mc != except && mc.isFor(mailbox) && mc.closeIfIdle()) {
                open--;
            }
        }
    }

    /** The pool for non-managed use, shared by every factory of this resource (so they share idle connections). */
    synchronized DefaultConnectionManager defaultManager() {
        if (defaultManager == null) {
            defaultManager = new DefaultConnectionManager();
        }
        return defaultManager;
    }

    void physicalOpened(String mailbox) {
        metrics.connectionCreated();
        createdPerMailbox.computeIfAbsent(norm(mailbox), m -> new AtomicInteger()).incrementAndGet();
    }

    void physicalClosed(String mailbox) {
        metrics.connectionDestroyed();
    }

    /** Physical SMTP connections opened for the mailbox since start (reconnects included). */
    int connectionsCreated(String mailbox) {
        AtomicInteger n = createdPerMailbox.get(norm(mailbox));
        return n == null ? 0 : n.get();
    }

    /** Physical SMTP connections opened since start, all mailboxes. */
    long connectionsCreated() {
        return metrics.getConnectionsCreated();
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes the non-managed pool, the MBean and the token provider; only the first call does anything. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        DefaultConnectionManager cm;
        synchronized (this) {
            cm = defaultManager;
        }
        try {
            if (cm != null) {
                cm.close();
            }
        } finally {
            metrics.close();
            closeTokens();
        }
    }

    private void closeTokens() {
        if (tokens instanceof AutoCloseable) {
            try {
                ((AutoCloseable) tokens).close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "OAM302 closing the token provider of connector resource '" + settings.name()
                        + "' failed: " + e.getMessage());
            }
        }
    }

    private static String norm(String mailbox) {
        return mailbox.toLowerCase(Locale.ROOT);
    }
}
