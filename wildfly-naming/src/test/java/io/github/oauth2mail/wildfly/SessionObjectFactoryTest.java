package io.github.oauth2mail.wildfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Hashtable;
import javax.naming.CompositeName;
import javax.naming.NamingException;
import org.junit.jupiter.api.Test;

class SessionObjectFactoryTest {

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
                .hasMessageContaining("OAM400").hasMessageContaining("'session-factory'");
    }

    @Test
    void sessionOf_factoryWithGetSession_returnsItsSession() throws Exception {
        assertThat(SessionObjectFactory.sessionOf(new FakeFactory(), "java:/eis/mail/demo")).isEqualTo("the session");
    }

    @Test
    void sessionOf_objectWithoutGetSession_saysWhatIsBoundThere() {
        assertThatThrownBy(() -> SessionObjectFactory.sessionOf("not a factory", "java:/eis/mail/demo"))
                .isInstanceOf(NamingException.class)
                .hasMessageContaining("OAM403").hasMessageContaining("java.lang.String");
    }

    @Test
    void sessionOf_invalidSettings_passesTheConnectorsMessageOn() {
        assertThatThrownBy(() -> SessionObjectFactory.sessionOf(new BrokenFactory(), "java:/eis/mail/demo"))
                .isInstanceOf(NamingException.class)
                .hasMessageContaining("OAM404").hasMessageContaining("oauth2mail.demo.mailbox");
    }
}
