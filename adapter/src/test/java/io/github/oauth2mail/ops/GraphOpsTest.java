package io.github.oauth2mail.ops;

import static io.github.oauth2mail.ops.OpsTesting.A;
import static io.github.oauth2mail.ops.OpsTesting.TOKEN1;
import static io.github.oauth2mail.ops.OpsTesting.attribute;
import static io.github.oauth2mail.ops.OpsTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.GraphEmulator;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What operators see of a resource with {@code send-via=graph}: the ready line (OAM303), the audit line of a refused
 * token (OAM406), the MBean's mail server and the health reason name the Graph endpoint, not the unused SMTP host.
 */
class GraphOpsTest {

    /** An SMTP port nothing listens on: a line naming it would name a server this resource never uses. */
    static final int UNUSED_SMTP_PORT = 1;

    static TestTokenIssuer issuer;
    GraphEmulator graph;
    LogCapture logs;
    OAuth2MailManagedConnectionFactory mcf;

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "graph-ops"));
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @BeforeEach
    void setUp() {
        issuer.stubToken(TOKEN1, 3600);
        graph = GraphEmulator.start(issuer.certificates(), TOKEN1::equals);
        logs = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        if (mcf != null) {
            mcf.close();
        }
        logs.close();
        graph.close();
    }

    Session session(String name) throws Exception {
        Map<String, String> s = OpsTesting.settings(name, issuer, UNUSED_SMTP_PORT, "implicit");
        s.put("oauth2mail." + name + ".send-via", "graph");
        s.put("oauth2mail." + name + ".graph-endpoint", graph.endpoint());
        s.put("oauth2mail." + name + ".scope", "https://graph.microsoft.com/.default");
        mcf = OpsTesting.factory(name, s);
        return (Session) mcf.createConnectionFactory();
    }

    @Test
    void readyLineAndMBean_graphMode_nameTheGraphEndpointNotTheSmtpHost() throws Exception {
        Session session = session("gops-ready");
        Transport.send(message(session, A, "ready"));

        assertThat(graph.delivered()).hasSize(1);
        assertThat(logs.all()).contains("OAM303 Connector resource 'gops-ready' ready: OAUTH2, mailbox " + A
                + ", Microsoft Graph " + graph.endpoint()).doesNotContain("127.0.0.1:" + UNUSED_SMTP_PORT);
        assertThat(attribute("gops-ready", "MailServer")).isEqualTo(graph.endpoint() + " (Microsoft Graph)");
    }

    @Test
    void audit_graphDeniesAccess_oam406NamesGraphEndpointAndGraphsReply() throws Exception {
        Session session = session("gops-denied");
        graph.enqueue(403, "ErrorAccessDenied", null);

        assertThatThrownBy(() -> Transport.send(message(session, A, "denied")))
                .isInstanceOf(MessagingException.class).hasMessageContaining("OAM603");

        assertThat(logs.all()).contains("OAM406 mail server authentication failed connector=gops-denied tenant=null "
                + "client=ops-client mailbox=" + A + " protocol=Graph server=" + graph.endpoint()
                + " code=HTTP 403 ErrorAccessDenied").doesNotContain("127.0.0.1:" + UNUSED_SMTP_PORT);
        assertThat(attribute("gops-denied", "SendsFailedAuth")).isEqualTo(1L);
        assertThat(attribute("gops-denied", "HealthStatus")).isEqualTo("DOWN");
        assertThat((String) attribute("gops-denied", "HealthReason")).contains(graph.endpoint());
    }

    @Test
    void healthCheck_graphModeAfterARefusal_probesNoSmtpServer() throws Exception {
        Session session = session("gops-check");
        graph.enqueue(403, "ErrorAccessDenied", null);
        assertThatThrownBy(() -> Transport.send(message(session, A, "denied"))).hasMessageContaining("OAM603");

        String health = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .invoke(OpsTesting.mbeanName("gops-check"), "check", new Object[0], new String[0]);

        // an SMTP probe would have failed on the unused SMTP port and named it as the refusing server
        assertThat(health).contains("DOWN").contains(graph.endpoint()).doesNotContain("127.0.0.1:" + UNUSED_SMTP_PORT);
        assertThat((String) attribute("gops-check", "HealthReason")).doesNotContain("127.0.0.1:" + UNUSED_SMTP_PORT);
    }
}
