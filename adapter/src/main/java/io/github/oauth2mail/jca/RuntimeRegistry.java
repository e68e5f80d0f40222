package io.github.oauth2mail.jca;

import jakarta.resource.ResourceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connector runtimes of one owner, found by {@link RuntimeKey} and reference-counted by the connection factories
 * that use them (the model is Artemis's {@code ActiveMQResourceAdapter.knownConnectionFactories}). Factories with
 * equal keys share one runtime: one token refresher, one lease budget per mailbox, one MBean. A runtime is closed when
 * its last factory releases it, or by {@link #closeAll()} (the resource adapter's {@code stop()}).
 *
 * <p>The resource adapter owns one registry; factories used without a resource adapter (Java SE, tests) use
 * {@link #STANDALONE}, which is never stopped. All registries share one lock: acquisition is rare (once per factory)
 * and {@link #transfer} spans two registries.
 */
final class RuntimeRegistry {

    /** For factories that no resource adapter manages. */
    static final RuntimeRegistry STANDALONE = new RuntimeRegistry();

    private static final Object LOCK = new Object();

    /** Builds the runtime for a key not yet in the registry. */
    @FunctionalInterface
    interface Builder {
        ConnectorRuntime build() throws ResourceException;
    }

    private final Map<RuntimeKey, Entry> entries = new HashMap<>();
    private boolean stopped;

    /** A reference to the runtime for {@code key}, built by {@code builder} when there is none. */
    Lease acquire(RuntimeKey key, Builder builder) throws ResourceException {
        synchronized (LOCK) {
            if (stopped) {
                throw new jakarta.resource.spi.IllegalStateException("OAM306 connector resource '" + key.configName()
                        + "' cannot start: the resource adapter was stopped (redeploy or restart the adapter)", "OAM306");
            }
            Entry e = entries.get(key);
            if (e == null) {
                e = new Entry(builder.build());
                entries.put(key, e);
            }
            e.refs++;
            return new Lease(this, key, e);
        }
    }

    /**
     * Moves {@code lease} (taken from another registry) into this one, for a factory that was used before the server
     * associated it with the resource adapter. The runtime moves along when nothing else uses it; otherwise the lease
     * becomes one on this registry's runtime for the key (built by {@code builder} if needed).
     */
    Lease transfer(Lease lease, Builder builder) throws ResourceException {
        Lease moved;
        synchronized (LOCK) {
            RuntimeRegistry from = lease.registry;
            Entry theirs = lease.entry;
            if (!stopped && !entries.containsKey(lease.key) && theirs.refs == 1 && from.entries.get(lease.key) == theirs
                    && lease.released.compareAndSet(false, true)) {
                from.entries.remove(lease.key);
                entries.put(lease.key, theirs);
                return new Lease(this, lease.key, theirs);
            }
            moved = acquire(lease.key, builder);
        }
        lease.close();
        return moved;
    }

    /** Closes every runtime; later acquisitions fail until {@link #restart()}. */
    void closeAll() {
        closeAll(true);
    }

    /**
     * Closes every runtime of factories that no resource adapter manages (a server may use a factory it never associates,
     * e.g. for a pool ping). Called when a resource adapter stops: in a server the adapter's classes, and with them this
     * static registry, are being undeployed, and a runtime left here would keep its HTTP client's selector thread, and
     * through it the undeployed class loader, alive for ever. Later standalone use starts afresh.
     */
    static void closeStandalone() {
        STANDALONE.closeAll(false);
    }

    private void closeAll(boolean stop) {
        List<Entry> toClose;
        synchronized (LOCK) {
            stopped = stop;
            toClose = new ArrayList<>(entries.values());
            entries.clear();
        }
        toClose.forEach(e -> e.runtime.close());
    }

    /** The resource adapter was started (again). */
    void restart() {
        synchronized (LOCK) {
            stopped = false;
        }
    }

    /** Runtimes currently open in this registry. */
    int size() {
        synchronized (LOCK) {
            return entries.size();
        }
    }

    private void release(Lease lease) {
        ConnectorRuntime toClose = null;
        synchronized (LOCK) {
            Entry e = lease.entry;
            if (--e.refs == 0 && entries.get(lease.key) == e) {
                entries.remove(lease.key);
                toClose = e.runtime;
            }
        }
        if (toClose != null) {
            toClose.close(); // outside the lock: it may close pooled SMTP connections
        }
    }

    private static final class Entry {
        final ConnectorRuntime runtime;
        int refs;

        Entry(ConnectorRuntime runtime) {
            this.runtime = runtime;
        }
    }

    /** One factory's reference to a runtime; {@link #close()} releases it (once). */
    static final class Lease implements AutoCloseable {
        private final RuntimeRegistry registry;
        private final RuntimeKey key;
        private final Entry entry;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(RuntimeRegistry registry, RuntimeKey key, Entry entry) {
            this.registry = registry;
            this.key = key;
            this.entry = entry;
        }

        ConnectorRuntime runtime() {
            return entry.runtime;
        }

        RuntimeRegistry registry() {
            return registry;
        }

        /** True when the registry closed the runtime under this (unreleased) lease: the adapter was stopped. */
        boolean revoked() {
            return !released.get() && entry.runtime.isClosed();
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                registry.release(this);
            }
        }
    }
}
