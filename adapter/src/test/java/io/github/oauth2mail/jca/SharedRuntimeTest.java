package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.resource.ResourceException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 part 1: equal connection factories (one ConfigName, equal settings) share one runtime: one token
 * refresher, one connection budget per mailbox, one MBean; the resource adapter owns and stops them.
 */
class SharedRuntimeTest {

    static final String ALICE = "alice@example.com";
    static final String RCPT = "rcpt@example.org";
    static final String T1 = "tok1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static final TestCertificates CERTS = GreenMailTls.certificates();

    static TestTokenIssuer issuer;
    ScriptedSmtpServer server;
    final List<OAuth2MailManagedConnectionFactory> factories = new ArrayList<>();

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
        issuer.resetRequests();
    }

    @AfterEach
    void tearDown() throws Exception {
        factories.forEach(OAuth2MailManagedConnectionFactory::close);
        server.close();
    }

    @Test
    void send_twoEqualFactories8Threads_oneBudgetOneTokenRequestOneMBean() throws Exception {
        ConnectorKeys keys = keys("shared");
        OAuth2MailManagedConnectionFactory first = factory(keys);
        OAuth2MailManagedConnectionFactory second = factory(keys);
        Session[] sessions = {(Session) first.createConnectionFactory(), (Session) second.createConnectionFactory()};

        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> sends = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Session session = sessions[t % 2];
            int thread = t;
            sends.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 10; i++) {
                    Transport.send(message(session, "t" + thread + " m" + i));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : sends) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(server.messages()).hasSize(80);
        assertThat(server.maxConcurrentConnections()).as("connections open at once, both factories together")
                .isBetween(1, 3);
        assertThat(issuer.tokenRequests()).as("one refresher for both factories").isEqualTo(1);
        assertThat(mbeans("shared")).as("one MBean, no ,instance=2").hasSize(1);
        assertThat(second.runtime()).isSameAs(first.runtime());

        OAuth2MailManagedConnectionFactory other = factory(keys("shared").set("max-connections-per-mailbox", "2"));
        assertThat(other.runtime()).as("different settings, different runtime").isNotSameAs(first.runtime());
    }

    @Test
    void close_oneOfTwoEqualFactories_otherKeepsSendingAndLastCloseStopsEverything() throws Exception {
        ConnectorKeys keys = keys("refs");
        OAuth2MailManagedConnectionFactory first = factory(keys);
        OAuth2MailManagedConnectionFactory second = factory(keys);
        Session early = (Session) first.createConnectionFactory();
        Session later = (Session) second.createConnectionFactory();
        Transport.send(message(early, "via first"));
        first.close();

        Transport.send(message(later, "via second after first closed"));
        assertThat(issuer.tokenRequests()).as("the runtime (and its token) survived the first close").isEqualTo(1);

        second.close();
        awaitNoRefresherThread("refs");
        assertThat(mbeans("refs")).isEmpty();
        assertThatThrownBy(() -> Transport.send(message(later, "after last close")))
                .isInstanceOf(MessagingException.class).hasMessageContaining("OAM307");
    }

    @Test
    void adapterStop_factoriesAssociatedBeforeAndAfterFirstUse_allRuntimesClosedAndNotResurrected() throws Exception {
        OAuth2MailResourceAdapter ra = new OAuth2MailResourceAdapter();
        ra.start(null);
        OAuth2MailManagedConnectionFactory early = factory(keys("ra-early"));
        early.setResourceAdapter(ra);
        OAuth2MailManagedConnectionFactory late = factory(keys("ra-late"));
        Session lateSession = (Session) late.createConnectionFactory();
        Transport.send(message(lateSession, "used before association"));
        late.setResourceAdapter(ra);
        Transport.send(message((Session) early.createConnectionFactory(), "associated first"));
        Transport.send(message(lateSession, "after association"));
        assertThat(ra.runtimes().size()).isEqualTo(2);

        ra.stop();

        awaitNoRefresherThread("ra-early");
        awaitNoRefresherThread("ra-late");
        assertThat(mbeans("ra-early")).isEmpty();
        assertThat(mbeans("ra-late")).isEmpty();
        assertThatThrownBy(early::createConnectionFactory).isInstanceOf(ResourceException.class)
                .hasMessageContaining("OAM306");
        assertThatThrownBy(() -> Transport.send(message(lateSession, "after stop")))
                .isInstanceOf(MessagingException.class).hasMessageContaining("OAM307");
        assertThat(RefresherThreads.named("ra-")).as("nothing restarted after stop").isEmpty();
    }

    /**
     * A server may use a factory it never associates with the adapter (a pool ping): its runtime sits in the static
     * standalone registry. When the adapter stops (undeploy), it must close too, or its HTTP client's selector thread
     * keeps the undeployed class loader alive (RedeployLeakIT on Payara).
     */
    @Test
    void adapterStop_factoryNeverAssociated_itsStandaloneRuntimeClosedToo() throws Exception {
        OAuth2MailResourceAdapter ra = new OAuth2MailResourceAdapter();
        ra.start(null);
        OAuth2MailManagedConnectionFactory ping = factory(keys("ra-ping"));
        Transport.send(message((Session) ping.createConnectionFactory(), "never associated"));
        assertThat(mbeans("ra-ping")).hasSize(1);

        ra.stop();

        awaitNoRefresherThread("ra-ping");
        assertThat(mbeans("ra-ping")).as("the standalone runtime was closed with the adapter").isEmpty();
        Transport.send(message((Session) ping.createConnectionFactory(), "standalone use starts afresh"));
        assertThat(server.messages()).hasSize(2);
    }

    private ConnectorKeys keys(String name) {
        return ConnectorKeys.of(name, issuer, ALICE, server.port(), "starttls");
    }

    private OAuth2MailManagedConnectionFactory factory(ConnectorKeys keys) {
        OAuth2MailManagedConnectionFactory f = keys.factory();
        factories.add(f);
        return f;
    }

    static MimeMessage message(Session session, String subject) throws MessagingException {
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(ALICE));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(RCPT));
        msg.setSubject(subject);
        msg.setText("body of " + subject);
        return msg;
    }

    static List<ObjectName> mbeans(String name) throws Exception {
        return List.copyOf(ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("io.github.oauth2mail:type=Connector,name=" + name + ",*"), null));
    }

    static void awaitNoRefresherThread(String name) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(RefresherThreads.named(name + "-")).as("refresher threads of " + name).isEmpty());
    }

    /** Live threads of the token refreshers whose resource name starts with a prefix. */
    static final class RefresherThreads {
        static List<String> named(String prefix) {
            return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("oauth2mail-token-" + prefix)).toList();
        }
    }
}
