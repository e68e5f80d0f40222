package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.Test;

/** The non-managed pool with a fake factory: which idle connection a lease gets, and what is destroyed. */
class DefaultConnectionManagerTest {

    private final FakeFactory mcf = new FakeFactory();
    private final DefaultConnectionManager cm = new DefaultConnectionManager();

    @Test
    void allocate_afterReturns_reusesTheConnectionReturnedLast() throws Exception {
        Handle a = lease("alice");
        Handle b = lease("alice");
        Handle c = lease("alice");
        assertThat(mcf.created).hasSize(3);
        a.close();
        c.close();
        b.close();

        assertThat(lease("alice").mc).isSameAs(b.mc);
        assertThat(lease("alice").mc).isSameAs(c.mc);
        assertThat(lease("alice").mc).isSameAs(a.mc);
        assertThat(mcf.created).hasSize(3);
    }

    @Test
    void allocate_sendLoop_getsBackItsOwnConnection() throws Exception {
        Handle first = lease("alice");
        Handle other = lease("alice");
        other.close();
        first.close();
        for (int i = 0; i < 5; i++) {
            Handle h = lease("alice");
            assertThat(h.mc).isSameAs(first.mc);
            h.close();
        }
        assertThat(mcf.created).hasSize(2);
    }

    @Test
    void allocate_idleConnectionOfAnotherMailbox_notReused() throws Exception {
        Handle alice = lease("alice");
        alice.close();
        Handle bob = lease("bob");
        assertThat(bob.mc).isNotSameAs(alice.mc);
        assertThat(mcf.created).hasSize(2);
        assertThat(lease("alice").mc).isSameAs(alice.mc);
    }

    @Test
    void connectionError_connectionDestroyedAndNeverReused() throws Exception {
        Handle a = lease("alice");
        a.mc.fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED);
        assertThat(a.mc.destroyed).isTrue();
        assertThat(lease("alice").mc).isNotSameAs(a.mc);
    }

    @Test
    void close_destroysIdleAndLeasedConnections() throws Exception {
        Handle a = lease("alice");
        Handle b = lease("alice");
        a.close();
        cm.close();
        assertThat(a.mc.destroyed).isTrue();
        assertThat(b.mc.destroyed).isTrue();
    }

    /** Issue #12 case 9: a connection created while close() runs is destroyed, not left in a closed pool. */
    @Test
    void allocate_closeRunsWhileConnectionIsCreated_connectionDestroyedAndAllocationFails() {
        mcf.onCreate = cm::close;
        assertThatThrownBy(() -> lease("alice")).isInstanceOf(jakarta.resource.spi.IllegalStateException.class);
        assertThat(mcf.created).hasSize(1);
        assertThat(mcf.created.get(0).destroyed).isTrue();
    }

    /** Issue #12 case 9: a connection whose getConnection throws is destroyed at once, not stranded in the pool. */
    @Test
    void allocate_getConnectionThrows_connectionDestroyedAndNextAllocationGetsANewOne() throws Exception {
        mcf.failGetConnection = true;
        assertThatThrownBy(() -> lease("alice")).isInstanceOf(ResourceException.class);
        assertThat(mcf.created.get(0).destroyed).isTrue();

        mcf.failGetConnection = false;
        Handle h = lease("alice");
        assertThat(h.mc).isNotSameAs(mcf.created.get(0));
        assertThat(h.mc.destroyed).isFalse();
    }

    private Handle lease(String mailbox) throws ResourceException {
        return (Handle) cm.allocateConnection(mcf, new MailboxRequestInfo(mailbox));
    }

    private static final class Handle {
        final FakeConnection mc;

        Handle(FakeConnection mc) {
            this.mc = mc;
        }

        void close() {
            mc.fire(ConnectionEvent.CONNECTION_CLOSED);
        }
    }

    private static final class FakeConnection implements ManagedConnection {
        final String mailbox;
        final boolean failGetConnection;
        final List<ConnectionEventListener> listeners = new ArrayList<>();
        boolean destroyed;

        FakeConnection(String mailbox, boolean failGetConnection) {
            this.mailbox = mailbox;
            this.failGetConnection = failGetConnection;
        }

        void fire(int type) {
            ConnectionEvent e = new ConnectionEvent(this, type);
            for (ConnectionEventListener l : List.copyOf(listeners)) {
                if (type == ConnectionEvent.CONNECTION_CLOSED) {
                    l.connectionClosed(e);
                } else {
                    l.connectionErrorOccurred(e);
                }
            }
        }

        @Override
        public Object getConnection(Subject subject, ConnectionRequestInfo cri) throws ResourceException {
            if (failGetConnection) {
                throw new ResourceException("simulated getConnection failure");
            }
            return new Handle(this);
        }

        @Override
        public void destroy() {
            destroyed = true;
        }

        @Override
        public void cleanup() {
        }

        @Override
        public void associateConnection(Object connection) {
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
        public XAResource getXAResource() {
            return null;
        }

        @Override
        public LocalTransaction getLocalTransaction() {
            return null;
        }

        @Override
        public ManagedConnectionMetaData getMetaData() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }
    }

    private static final class FakeFactory implements ManagedConnectionFactory {
        private static final long serialVersionUID = 1L;
        final transient List<FakeConnection> created = new ArrayList<>();
        transient Runnable onCreate = () -> { };
        transient boolean failGetConnection;

        @Override
        public Object createConnectionFactory(ConnectionManager cxManager) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object createConnectionFactory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo cri) {
            FakeConnection c = new FakeConnection(((MailboxRequestInfo) cri).mailbox(), failGetConnection);
            created.add(c);
            onCreate.run();
            return c;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo cri) {
            for (Object o : candidates) {
                FakeConnection c = (FakeConnection) o;
                if (((MailboxRequestInfo) cri).sameMailbox(c.mailbox) && !c.destroyed) {
                    return c;
                }
            }
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }
    }
}
