package io.github.oauth2mail.jca;

import static io.github.oauth2mail.jca.SharedRuntimeTest.ALICE;
import static io.github.oauth2mail.jca.SharedRuntimeTest.CERTS;
import static io.github.oauth2mail.jca.SharedRuntimeTest.T1;
import static io.github.oauth2mail.jca.SharedRuntimeTest.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestTokenIssuer;
import io.github.oauth2mail.transport.AdapterSessions;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnectionFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool contract of the adapter's own classes against a scripted server: permits and connection events. */
class PoolContractTest {

    static TestTokenIssuer issuer;
    ScriptedSmtpServer server;
    OAuth2MailManagedConnectionFactory mcf;

    @BeforeAll
    static void startIssuer() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        server = ScriptedSmtpServer.startTls(CERTS.serverContext()).acceptTokens(T1);
        issuer.stubToken(T1, 3600);
        mcf = ConnectorKeys.of("contract", issuer, ALICE, server.port(), "starttls").set("pool-wait-ms", "2000").factory();
    }

    @AfterEach
    void tearDown() throws Exception {
        mcf.close();
        server.close();
    }

    /** Issue #12 case 2: an Error from the connection manager must not keep the mailbox's lease permit. */
    @Test
    void send_threeAllocationsThrowAnError_permitsAllFreeAndTheNextSendWorks() throws Exception {
        ConnectionManager real = mcf.runtime().defaultManager();
        AtomicInteger errorsLeft = new AtomicInteger(3);
        ConnectionManager failing = new ConnectionManager() {
            @Override
            public Object allocateConnection(ManagedConnectionFactory f, ConnectionRequestInfo cri) throws ResourceException {
                if (errorsLeft.getAndDecrement() > 0) {
                    throw new PoolError();
                }
                return real.allocateConnection(f, cri);
            }
        };
        Session session = AdapterSessions.create(new PooledMailConnector(mcf, mcf.runtime(), failing));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> Transport.send(message(session, "fails"))).isInstanceOf(PoolError.class);
        }
        assertThat(mcf.runtime().budget(ALICE).inUse()).as("budget slots taken after three Errors").isZero();

        Transport.send(message(session, "after three errors"));
        assertThat(server.messages()).hasSize(1);
    }

    /** Issue #13 part 1: a pool's listener runs without the managed connection's monitor (no lock-order deadlock). */
    @Test
    void send_connectionBreaks_errorEventFiredOutsideTheConnectionsMonitor() throws Exception {
        MailboxRequestInfo cri = new MailboxRequestInfo(ALICE);
        SmtpManagedConnection mc = (SmtpManagedConnection) mcf.createManagedConnection(null, cri);
        List<Boolean> heldMonitor = new CopyOnWriteArrayList<>();
        mc.addConnectionEventListener(new Recorder(heldMonitor));
        SmtpConnectionHandle handle = (SmtpConnectionHandle) mc.getConnection(null, cri);
        server.dropOn("MAIL");
        Message msg = message(Session.getInstance(new java.util.Properties()), "dropped");

        assertThatThrownBy(() -> handle.send(msg, msg.getAllRecipients())).isInstanceOf(MessagingException.class);
        handle.close();

        assertThat(heldMonitor).as("error event, then closed event; monitor held while firing?")
                .containsExactly(false, false);
        mc.destroy();
    }

    private static final class PoolError extends Error {
        private static final long serialVersionUID = 1L;

        PoolError() {
            super("simulated Error inside allocateConnection");
        }
    }

    private static final class Recorder implements ConnectionEventListener {
        private final List<Boolean> heldMonitor;

        Recorder(List<Boolean> heldMonitor) {
            this.heldMonitor = heldMonitor;
        }

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
            heldMonitor.add(Thread.holdsLock(event.getSource()));
        }

        @Override
        public void connectionClosed(ConnectionEvent event) {
            heldMonitor.add(Thread.holdsLock(event.getSource()));
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
