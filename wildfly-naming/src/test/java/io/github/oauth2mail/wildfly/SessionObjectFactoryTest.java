package io.github.oauth2mail.wildfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionObjectFactoryTest {

    /** How many lookups fail before the name is "bound" (the .rar still deploying); counts every lookup. */
    static volatile int unboundLookups;
    static final AtomicInteger LOOKUPS = new AtomicInteger();

    /** A JNDI provider whose lookups fail with NameNotFoundException until {@link #unboundLookups} have been made. */
    public static final class DeployingRarContextFactory implements InitialContextFactory {
        @Override
        public Context getInitialContext(Hashtable<?, ?> environment) {
            return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("lookup")) {
                            if (LOOKUPS.incrementAndGet() <= unboundLookups) {
                                throw new NameNotFoundException(args[0] + " not bound yet");
                            }
                            return new FakeFactory();
                        }
                        return null; // close()
                    });
        }
    }

    @AfterEach
    void restoreJndi() {
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
    }

    private static void jndiUnboundFor(int lookups) {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, DeployingRarContextFactory.class.getName());
        unboundLookups = lookups;
        LOOKUPS.set(0);
    }

    @Test
    void getObjectInstance_factoryBoundAfterAFewLookups_waitsAndReturnsItsSession() throws Exception {
        jndiUnboundFor(3);
        Hashtable<String, String> env = new Hashtable<>();
        env.put("session-factory", "java:/eis/mail/demo");

        Object session = new SessionObjectFactory().getObjectInstance(null, new CompositeName("java:/mail/office365"),
                null, env);

        assertThat(session).isEqualTo("the session");
        assertThat(LOOKUPS.get()).isEqualTo(4);
    }

    @Test
    void awaitBound_neverBound_failsAfterTheBoundNamingTheJndiName() {
        jndiUnboundFor(Integer.MAX_VALUE);
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> SessionObjectFactory.awaitBound("java:/eis/mail/demo", Duration.ofMillis(300)))
                .isInstanceOf(NameNotFoundException.class)
                .hasMessageContaining("OAM502").hasMessageContaining("java:/eis/mail/demo");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
        assertThat(LOOKUPS.get()).isGreaterThan(1);
    }

    /** Stands in for the adapter's MailSessionFactory (the module only ever sees it through reflection). */
    public static final class FakeFactory {
        public Object getSession() {
            return "the session";
        }
    }

    /** A factory whose Session cannot be built (invalid settings). */
    public static final class BrokenFactory {
        public Object getSession() {
            throw new IllegalStateException("OAM001 oauth2mail.demo.mailbox: is required");
        }
    }

    @Test
    void getObjectInstance_noSessionFactoryEntry_namesTheMissingEntry() {
        assertThatThrownBy(() -> new SessionObjectFactory().getObjectInstance(null,
                new CompositeName("java:/mail/office365"), null, new Hashtable<>()))
                .isInstanceOf(NamingException.class)
                .hasMessageContaining("OAM500").hasMessageContaining("'session-factory'");
    }

    @Test
    void sessionOf_factoryWithGetSession_returnsItsSession() throws Exception {
        assertThat(SessionObjectFactory.sessionOf(new FakeFactory(), "java:/eis/mail/demo")).isEqualTo("the session");
    }

    @Test
    void sessionOf_objectWithoutGetSession_saysWhatIsBoundThere() {
        assertThatThrownBy(() -> SessionObjectFactory.sessionOf("not a factory", "java:/eis/mail/demo"))
                .isInstanceOf(NamingException.class)
                .hasMessageContaining("OAM503").hasMessageContaining("java.lang.String");
    }

    @Test
    void sessionOf_invalidSettings_passesTheConnectorsMessageOn() {
        assertThatThrownBy(() -> SessionObjectFactory.sessionOf(new BrokenFactory(), "java:/eis/mail/demo"))
                .isInstanceOf(NamingException.class)
                .hasMessageContaining("OAM504").hasMessageContaining("oauth2mail.demo.mailbox");
    }
}
