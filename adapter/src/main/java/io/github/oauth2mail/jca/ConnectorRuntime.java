package io.github.oauth2mail.jca;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.token.TokenProvider;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocketFactory;

/**
 * What one connection factory shares across its Sessions and connections: validated settings, the TLS socket
 * factory, the token provider, and the per-mailbox connection limits and counts.
 */
final class ConnectorRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConnectorRuntime.class.getName());

    private final ConnectorSettings settings;
    private final SSLSocketFactory tls;
    private final TokenProvider tokens;
    private final Map<String, Semaphore> leases = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> physical = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> createdPerMailbox = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong destroyed = new AtomicLong();

    ConnectorRuntime(ConnectorSettings settings, Function<ConnectorSettings, TokenProvider> tokenFactory) {
        this.settings = settings;
        this.tls = TlsSupport.socketFactory(settings);
        this.tokens = tokenFactory.apply(settings);
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

    /** At most max-connections-per-mailbox leases (connections in use) per mailbox at once. */
    Semaphore leasePermits(String mailbox) {
        return leases.computeIfAbsent(norm(mailbox), m -> new Semaphore(settings.maxConnectionsPerMailbox(), true));
    }

    void physicalOpened(String mailbox) {
        created.incrementAndGet();
        createdPerMailbox.computeIfAbsent(norm(mailbox), m -> new AtomicInteger()).incrementAndGet();
        physical.computeIfAbsent(norm(mailbox), m -> new AtomicInteger()).incrementAndGet();
    }

    void physicalClosed(String mailbox) {
        destroyed.incrementAndGet();
        physical.computeIfAbsent(norm(mailbox), m -> new AtomicInteger()).decrementAndGet();
    }

    /** Physical SMTP connections currently open for the mailbox. */
    int openConnections(String mailbox) {
        AtomicInteger n = physical.get(norm(mailbox));
        return n == null ? 0 : n.get();
    }

    /** Physical SMTP connections opened for the mailbox since start (reconnects included). */
    int connectionsCreated(String mailbox) {
        AtomicInteger n = createdPerMailbox.get(norm(mailbox));
        return n == null ? 0 : n.get();
    }

    long connectionsCreated() {
        return created.get();
    }

    long connectionsDestroyed() {
        return destroyed.get();
    }

    @Override
    public void close() {
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
