package io.github.oauth2mail.jca;

import io.github.oauth2mail.transport.SmtpConnection;
import io.github.oauth2mail.transport.SmtpSendException;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import jakarta.resource.spi.SecurityException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * One pooled, authenticated SMTP connection for one mailbox. It never sends with a token past its expiry: before a
 * send it reconnects (new socket, fresh token) when the token it authenticated with is about to expire or the socket
 * broke, and it retries on a fresh connection only when the failure happened before the message data was sent.
 */
final class SmtpManagedConnection implements ManagedConnection {

    private static final Logger LOG = Logger.getLogger(SmtpManagedConnection.class.getName());
    /** Reconnect when the token has less than this left (capped at a quarter of its lifetime for short tokens). */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

    private final ConnectorRuntime runtime;
    private final String mailbox;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<SmtpConnectionHandle> handles = ConcurrentHashMap.newKeySet();
    private SmtpConnection connection;
    private Instant connectedAt;
    private PrintWriter logWriter;

    private SmtpManagedConnection(ConnectorRuntime runtime, String mailbox) {
        this.runtime = runtime;
        this.mailbox = mailbox;
    }

    static SmtpManagedConnection open(ConnectorRuntime runtime, String mailbox) throws ResourceException {
        SmtpManagedConnection mc = new SmtpManagedConnection(runtime, mailbox);
        try {
            mc.connect();
            runtime.opened(mc);
        } catch (MessagingException e) {
            ResourceException re = new ResourceException(e.getMessage());
            re.initCause(e);
            throw re;
        }
        return mc;
    }

    /** The runtime of the connector resource this connection belongs to (shared by equal factories). */
    ConnectorRuntime runtime() {
        return runtime;
    }

    String mailbox() {
        return mailbox;
    }

    boolean isFor(String other) {
        return mailbox.equalsIgnoreCase(other);
    }

    boolean isDestroyed() {
        return destroyed.get();
    }

    /** Pool validation: alive, token not expired, and the server answers NOOP. */
    synchronized boolean validate() {
        if (destroyed.get() || connection == null || !connection.isOpen() || tokenNearExpiry()) {
            return false;
        }
        return connection.noop();
    }

    /**
     * Sends through this connection; called by a handle. A broken connection is closed under this connection's
     * monitor, and CONNECTION_ERROR_OCCURRED is fired after leaving it: the pool's listener may take its own locks and
     * call {@link #destroy()} or {@link #validate()} from other threads without a lock-order deadlock.
     */
    void send(SmtpConnectionHandle handle, Message message, Address[] recipients) throws MessagingException {
        if (!isConnected()) {
            // about to open a session: first close this node's idle ones that would take it over the mailbox's limit
            // (outside this monitor: closing takes the other connections' monitors)
            runtime.beforeConnect(mailbox, this);
        }
        MessagingException broken = sendLocked(message, recipients);
        if (broken != null) {
            fireError(handle, broken);
            throw broken;
        }
    }

    /** Returns the failure that broke (and closed) the connection; throws other failures; null when sent. */
    private synchronized MessagingException sendLocked(Message message, Address[] recipients) throws MessagingException {
        if (destroyed.get()) {
            throw new MessagingException("SMTP connection for " + mailbox + " was destroyed");
        }
        boolean fresh = false;
        if (connection == null || !connection.isOpen() || tokenNearExpiry()) {
            reconnect();
            fresh = true;
        }
        try {
            connection.send(message, recipients);
            return null;
        } catch (SmtpSendException e) {
            if (!e.connectionBroken()) {
                if (SendRetry.tooManySessions(e)) {
                    closeQuietly(); // this session is one too many at the server: free its slot there
                }
                throw e;
            }
            if (e.safeToRetry() && !fresh) {
                LOG.log(Level.FINE, "OAM305 pooled SMTP connection for {0} was broken before the message was sent ({1});"
                        + " reconnecting once", new Object[] {mailbox, e.getMessage()});
                try {
                    reconnect();
                    connection.send(message, recipients);
                    return null;
                } catch (MessagingException retry) {
                    closeQuietly();
                    return retry;
                }
            }
            closeQuietly();
            return e;
        }
    }

    private void fireError(SmtpConnectionHandle handle, Exception cause) {
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : List.copyOf(listeners)) {
            l.connectionErrorOccurred(event);
        }
    }

    void handleClosed(SmtpConnectionHandle handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : List.copyOf(listeners)) {
            l.connectionClosed(event);
        }
    }

    /** True while a physical SMTP connection is open (it holds one of the server's session slots). */
    synchronized boolean isConnected() {
        return connection != null && connection.isOpen();
    }

    /** Closes the physical connection if no handle uses this connection (the next use reconnects); true if closed. */
    boolean closeIfIdle() {
        if (!handles.isEmpty()) {
            return false; // in use: do not wait for its monitor while it sends
        }
        synchronized (this) {
            return closeIfIdleLocked();
        }
    }

    private boolean closeIfIdleLocked() {
        if (!handles.isEmpty() || connection == null || destroyed.get()) {
            return false;
        }
        closeQuietly();
        return true;
    }

    private boolean tokenNearExpiry() {
        Instant expires = connection.tokenExpiresAt();
        Duration lifetime = Duration.between(connectedAt, expires);
        Duration margin = lifetime.dividedBy(4).compareTo(EXPIRY_MARGIN) < 0 ? lifetime.dividedBy(4) : EXPIRY_MARGIN;
        return !Instant.now().plus(margin).isBefore(expires);
    }

    private void connect() throws MessagingException {
        connection = SmtpConnection.open(runtime.settings(), runtime.tls(), runtime.tokens(), mailbox);
        connectedAt = Instant.now();
        runtime.physicalOpened(mailbox);
    }

    private void reconnect() throws MessagingException {
        closeQuietly();
        connect();
    }

    private void closeQuietly() {
        SmtpConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
            runtime.physicalClosed(mailbox);
        }
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo cri) throws ResourceException {
        if (destroyed.get()) {
            throw new IllegalStateException("SMTP managed connection for " + mailbox + " is destroyed");
        }
        if (cri instanceof MailboxRequestInfo && !((MailboxRequestInfo) cri).sameMailbox(mailbox)) {
            throw new SecurityException("SMTP connection authenticated as " + mailbox + " cannot serve mailbox "
                    + ((MailboxRequestInfo) cri).mailbox() + " (enable connection matching on the pool)");
        }
        SmtpConnectionHandle handle = new SmtpConnectionHandle(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof SmtpConnectionHandle)) {
            throw new ResourceException("Not a connection handle of this adapter: " + connection);
        }
        SmtpConnectionHandle handle = (SmtpConnectionHandle) connection;
        if (!isFor(handle.mailbox())) {
            throw new SecurityException("Handle for " + handle.mailbox() + " cannot move to a connection for " + mailbox);
        }
        handle.associate(this);
        handles.add(handle);
    }

    @Override
    public void cleanup() throws ResourceException {
        for (SmtpConnectionHandle h : handles) {
            h.invalidate();
        }
        handles.clear();
    }

    @Override
    public void destroy() throws ResourceException {
        if (destroyed.compareAndSet(false, true)) {
            runtime.destroyed(this);
            cleanup();
            synchronized (this) {
                closeQuietly();
            }
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("SMTP connections are not transactional");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("SMTP connections are not transactional");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new MailMetaData(mailbox, runtime.settings().maxConnectionsPerMailbox());
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public String toString() {
        return "SmtpManagedConnection[" + mailbox + (destroyed.get() ? ", destroyed" : "") + "]";
    }
}
