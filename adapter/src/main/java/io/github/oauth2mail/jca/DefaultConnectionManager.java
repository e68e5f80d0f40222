package io.github.oauth2mail.jca;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connection manager for non-managed use (Java SE, tests, benchmarks): a small pool that follows the same
 * contract a server's pool does: match idle connections through {@code matchManagedConnections}, return them on
 * CONNECTION_CLOSED, destroy them on CONNECTION_ERROR_OCCURRED. Idle connections are reused last-returned first
 * (LIFO): a thread that sends in a loop mostly gets back the connection it just returned, and a lease costs one
 * {@code matchManagedConnections} call on one candidate instead of a copy of the whole idle set.
 */
public final class DefaultConnectionManager implements ConnectionManager {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(DefaultConnectionManager.class.getName());
    private static final int MAX_IDLE = 32;

    private final transient Object lock = new Object();
    /** Most recently returned first. */
    private final transient Deque<ManagedConnection> idle = new ArrayDeque<>();
    private final transient Set<ManagedConnection> all = new HashSet<>();
    private final transient ConnectionEventListener listener = new Listener();
    private transient boolean closed;

    /**
     * An idle matching connection or a new one, and a handle on it. A connection created while {@link #close()} ran is
     * destroyed, not pooled; a connection whose {@code getConnection} fails (an {@code Error} included) is destroyed and
     * leaves the pool, so nothing is stranded in it.
     */
    /**
     * An idle matching connection or a new one, and a handle on it. A connection created while {@link #close()} ran is
     * destroyed, never pooled; one whose {@code getConnection} fails ({@code Error}s included) is destroyed and leaves
     * the pool, so nothing is stranded in it.
     */
    @Override
    public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo cri) throws ResourceException {
        ManagedConnection mc;
        synchronized (lock) {
            checkOpen();
            mc = takeIdle(mcf, cri);
        }
        Object handle = null;
        try {
            if (mc == null) {
                mc = mcf.createManagedConnection(null, cri);
                mc.addConnectionEventListener(listener);
                synchronized (lock) {
                    checkOpen(); // close() ran while it was created: destroy it (finally), never pool it
                    all.add(mc);
                }
            }
            handle = mc.getConnection(null, cri);
            return handle;
        } finally {
            if (handle == null && mc != null) {
                synchronized (lock) {
                    all.remove(mc);
                }
                destroyQuietly(mc);
            }
        }
    }

    private void checkOpen() throws ResourceException {
        if (closed) {
            throw new jakarta.resource.spi.IllegalStateException("connection manager is closed");
        }
    }

    /** The most recently returned idle connection the factory matches to {@code cri}, removed from the idle list. */
    private ManagedConnection takeIdle(ManagedConnectionFactory mcf, ConnectionRequestInfo cri) throws ResourceException {
        for (Iterator<ManagedConnection> it = idle.iterator(); it.hasNext();) {
            ManagedConnection candidate = it.next();
            if (mcf.matchManagedConnections(Collections.singleton(candidate), null, cri) == candidate) {
                it.remove();
                return candidate;
            }
        }
        return null;
    }

    /** Destroys every pooled connection. */
    public void close() {
        List<ManagedConnection> toDestroy;
        synchronized (lock) {
            closed = true;
            toDestroy = new ArrayList<>(all);
            all.clear();
            idle.clear();
        }
        toDestroy.forEach(DefaultConnectionManager::destroyQuietly);
    }

    private static void destroyQuietly(ManagedConnection mc) {
        try {
            mc.destroy();
        } catch (ResourceException | RuntimeException e) {
            LOG.log(Level.FINE, "destroying a pooled connection failed", e);
        }
    }

    private final class Listener implements ConnectionEventListener {
        @Override
        public void connectionClosed(ConnectionEvent event) {
            ManagedConnection mc = (ManagedConnection) event.getSource();
            boolean destroy;
            synchronized (lock) {
                destroy = closed || !all.contains(mc) || idle.size() >= MAX_IDLE;
                if (!destroy) {
                    try {
                        mc.cleanup();
                        idle.addFirst(mc);
                    } catch (ResourceException e) {
                        destroy = true;
                    }
                }
                if (destroy) {
                    all.remove(mc);
                }
            }
            if (destroy) {
                destroyQuietly(mc);
            }
        }

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
            ManagedConnection mc = (ManagedConnection) event.getSource();
            synchronized (lock) {
                all.remove(mc);
                idle.remove(mc);
            }
            destroyQuietly(mc);
        }

        @Override
        public void localTransactionStarted(ConnectionEvent event) {
        }

        @Override
        public void localTransactionCommitted(ConnectionEvent event) {
        }

        @Override
        public void localTransactionRolledback(ConnectionEvent event) {
        }
    }
}
