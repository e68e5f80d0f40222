package io.github.oauth2mail.jca;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.ops.ConnectorMetrics;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.transport.MailConnector;
import io.github.oauth2mail.transport.SmtpLease;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@link MailConnector} a Session carries: leases come from the server's connection manager, at most
 * max-connections-per-mailbox at once per mailbox, waiting at most pool-wait-ms for one.
 */
final class PooledMailConnector implements MailConnector {

    private final OAuth2MailManagedConnectionFactory factory;
    private final ConnectorRuntime runtime;
    private final ConnectionManager manager;

    PooledMailConnector(OAuth2MailManagedConnectionFactory factory, ConnectorRuntime runtime, ConnectionManager manager) {
        this.factory = factory;
        this.runtime = runtime;
        this.manager = manager;
    }

    @Override
    public ConnectorSettings settings() {
        return runtime.settings();
    }

    @Override
    public TokenProvider tokens() {
        return runtime.tokens();
    }

    @Override
    public SSLSocketFactory tls() {
        return runtime.tls();
    }

    @Override
    public void storeConnected(String protocol, String mailbox, String host, int port, MessagingException failure,
                               String oauthStatus) {
        runtime.metrics().storeConnected(protocol, mailbox, host + ":" + port, failure, oauthStatus);
    }

    @Override
    public SmtpLease lease(String mailbox) throws MessagingException {
        try {
            SmtpLease lease = take(mailbox);
            runtime.metrics().leaseTaken();
            return lease;
        } catch (MessagingException | RuntimeException e) {
            runtime.metrics().sendFailed(mailbox, e);
            throw e;
        }
    }

    private SmtpLease take(String mailbox) throws MessagingException {
        ConnectorSettings s = runtime.settings();
        Semaphore permits = runtime.leasePermits(mailbox);
        try {
            if (!permits.tryAcquire(s.poolWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new MessagingException("OAM304 No SMTP connection for mailbox " + mailbox + " became free within "
                        + s.poolWait().toMillis() + " ms: all " + s.maxConnectionsPerMailbox() + " allowed by "
                        + s.key(Setting.MAX_CONNECTIONS_PER_MAILBOX) + " are in use (raise "
                        + s.key(Setting.POOL_WAIT_MS) + " or send less in parallel)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("Interrupted while waiting for an SMTP connection for " + mailbox, e);
        }
        try {
            SmtpLease handle = (SmtpLease) manager.allocateConnection(factory, new MailboxRequestInfo(mailbox));
            return new PermitLease(handle, permits, runtime.metrics());
        } catch (ResourceException | RuntimeException e) {
            permits.release();
            throw toMessaging(e, mailbox);
        }
    }

    private static MessagingException toMessaging(Exception e, String mailbox) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MessagingException) {
                return (MessagingException) t;
            }
        }
        return new MessagingException("Cannot get an SMTP connection for mailbox " + mailbox + ": " + e.getMessage(), e);
    }

    /** Returns the permit exactly once when the lease is closed. */
    private static final class PermitLease implements SmtpLease {
        private final SmtpLease handle;
        private final Semaphore permits;
        private final ConnectorMetrics metrics;
        private final AtomicBoolean closed = new AtomicBoolean();

        PermitLease(SmtpLease handle, Semaphore permits, ConnectorMetrics metrics) {
            this.handle = handle;
            this.permits = permits;
            this.metrics = metrics;
        }

        @Override
        public String mailbox() {
            return handle.mailbox();
        }

        @Override
        public void send(Message message, Address[] recipients) throws MessagingException {
            if (closed.get()) {
                throw new IllegalStateException("SMTP connection already returned to the pool");
            }
            try {
                handle.send(message, recipients);
            } catch (MessagingException | RuntimeException e) {
                metrics.sendFailed(handle.mailbox(), e);
                throw e;
            }
            metrics.sendSucceeded();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    handle.close();
                } finally {
                    permits.release();
                    metrics.leaseReturned();
                }
            }
        }
    }
}
