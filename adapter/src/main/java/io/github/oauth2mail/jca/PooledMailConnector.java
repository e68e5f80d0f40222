package io.github.oauth2mail.jca;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.graph.GraphLease;
import io.github.oauth2mail.ops.ConnectorMetrics;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.transport.MailConnector;
import io.github.oauth2mail.transport.SmtpLease;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import io.github.oauth2mail.transport.SmtpSendException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@link MailConnector} a Session carries: leases come from the server's connection manager, at most
 * max-connections-per-mailbox at once per mailbox, waiting at most pool-wait-ms for one.
 */
final class PooledMailConnector implements MailConnector {

    private static final Logger LOG = Logger.getLogger(PooledMailConnector.class.getName());

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
        if (runtime.graph() != null) {
            return graphLease(mailbox);
        }
        MailboxBudget budget = runtime.budget(mailbox);
        return new RetryingLease(mailbox, budget, allocate(mailbox, budget, runtime.settings().poolWait()));
    }

    /** Graph mode: no pooled connection; each send is counted as an SMTP send is. */
    private SmtpLease graphLease(String mailbox) throws MessagingException {
        if (runtime.isClosed()) {
            throw new AdapterMessagingException(MessageId.RUNTIME_CLOSED, "The Session of connector resource '"
                    + runtime.settings().name() + "' belongs to a closed connection factory or a stopped resource "
                    + "adapter; look the Session up again");
        }
        ConnectorMetrics m = runtime.metrics();
        return new GraphLease(runtime.graph(), mailbox, new GraphLease.Outcomes() {
            @Override
            public void succeeded() {
                m.sendSucceeded();
            }

            @Override
            public void failed(String mb, Exception e) {
                m.sendFailed(mb, e);
            }

            @Override
            public void returned() {
                m.leaseReturned();
            }
        });
    }

    /**
     * Takes a budget slot for the mailbox (waiting at most {@code wait}) and a connection from the connection manager;
     * the slot is given back on every failed exit, Errors included (issue #12 case 2).
     */
    private SmtpLease allocate(String mailbox, MailboxBudget budget, Duration wait) throws MessagingException {
        if (runtime.isClosed()) {
            throw new AdapterMessagingException(MessageId.RUNTIME_CLOSED, "The Session of connector resource '" + runtime.settings().name()
                    + "' belongs to a closed connection factory or a stopped resource adapter; look the Session up again");
        }
        ConnectorSettings s = runtime.settings();
        try {
            if (!budget.acquire(wait)) {
                throw new AdapterMessagingException(MessageId.POOL_WAIT_EXCEEDED, "No SMTP connection for mailbox " + mailbox + " became free within "
                        + wait.toMillis() + " ms: all " + budget.limit() + " allowed now (" + s.key(
                        Setting.MAX_CONNECTIONS_PER_MAILBOX) + "=" + s.maxConnectionsPerMailbox() + ") are in use "
                        + "(raise " + s.key(Setting.POOL_WAIT_MS) + " or send less in parallel)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("Interrupted while waiting for an SMTP connection for " + mailbox, e);
        }
        SmtpLease handle = null;
        try {
            handle = (SmtpLease) manager.allocateConnection(factory, new MailboxRequestInfo(mailbox));
            return handle;
        } catch (ResourceException | RuntimeException e) {
            throw toMessaging(e, mailbox);
        } finally {
            if (handle == null) {
                budget.release();
            }
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

    /**
     * A lease that holds one budget slot while it holds a connection, and retries temporary refusals within
     * send-deadline-ms: on the same connection (the transaction was reset), or after a {@code 421} or a
     * {@code 432 4.3.2} on another one, taken after the back-off. Returns the slot exactly once.
     */
    private final class RetryingLease implements SmtpLease {
        private final String mailbox;
        private final MailboxBudget budget;
        private final AtomicBoolean closed = new AtomicBoolean();
        private SmtpLease handle;

        RetryingLease(String mailbox, MailboxBudget budget, SmtpLease handle) {
            this.mailbox = mailbox;
            this.budget = budget;
            this.handle = handle;
        }

        @Override
        public String mailbox() {
            return mailbox;
        }

        @Override
        public synchronized void send(Message message, Address[] recipients) throws MessagingException {
            if (closed.get()) {
                throw new IllegalStateException("SMTP connection already returned to the pool");
            }
            ConnectorMetrics metrics = runtime.metrics();
            SendRetry retry = runtime.retry();
            long deadline = retry.clock().millis() + runtime.settings().sendDeadline().toMillis();
            SmtpSendException refused = null;
            for (int attempt = 1; ; attempt++) {
                if (handle == null) {
                    handle = another(deadline, refused, attempt - 1);
                }
                SmtpSendException e;
                try {
                    handle.send(message, recipients);
                    budget.succeeded();
                    metrics.sendSucceeded();
                    return;
                } catch (SmtpSendException refusal) {
                    e = refusal;
                } catch (MessagingException | RuntimeException other) {
                    metrics.sendFailed(mailbox, other);
                    throw other;
                }
                if (SendRetry.tooManySessions(e)) {
                    budget.tooManySessions(); // with or without a retry: this node uses fewer sessions
                }
                long backoff = retry.backoffMillis(attempt);
                if (!SendRetry.retryable(e) || retry.clock().millis() + backoff >= deadline) {
                    throw failed(attempts(e, attempt));
                }
                refused = e;
                boolean elsewhere = e.connectionBroken() || SendRetry.tooManySessions(e);
                LOG.log(Level.FINE, "OAM309 temporary refusal for mailbox {0} (attempt {1}, reply {2}); retrying "
                        + "in {3} ms{4}", new Object[] {mailbox, attempt, e.replyCode(), backoff,
                        elsewhere ? " on another connection" : ""});
                if (elsewhere) {
                    giveBack();
                }
                if (!retry.pause(backoff)) {
                    throw failed(attempts(e, attempt));
                }
            }
        }

        /**
         * Another connection for a retry, waiting at most until the deadline; when none comes in time the caller gets
         * the last refusal (not a pool timeout).
         */
        private SmtpLease another(long deadline, SmtpSendException refused, int attempts) throws MessagingException {
            long left = Math.max(0, deadline - runtime.retry().clock().millis());
            try {
                return allocate(mailbox, budget, Duration.ofMillis(Math.min(left,
                        runtime.settings().poolWait().toMillis())));
            } catch (MessagingException noConnection) {
                throw failed(refused == null ? noConnection : attempts(refused, attempts));
            } catch (RuntimeException e) {
                runtime.metrics().sendFailed(mailbox, e);
                throw e;
            }
        }

        private <T extends Exception> T failed(T e) {
            runtime.metrics().sendFailed(mailbox, e);
            return e;
        }

        /** The failure the caller gets, naming the attempts when there was more than one. */
        private SmtpSendException attempts(SmtpSendException e, int attempts) {
            return attempts <= 1 ? e : e.afterAttempts(attempts, runtime.settings().key(Setting.SEND_DEADLINE_MS),
                    runtime.settings().sendDeadline().toMillis());
        }

        private void giveBack() {
            SmtpLease h = handle;
            handle = null;
            if (h != null) {
                try {
                    h.close();
                } finally {
                    budget.release();
                    runtime.returned(mailbox, budget);
                }
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                synchronized (this) {
                    try {
                        giveBack();
                    } finally {
                        runtime.metrics().leaseReturned();
                    }
                }
            }
        }
    }
}
