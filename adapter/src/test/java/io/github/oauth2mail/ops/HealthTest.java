package io.github.oauth2mail.ops;

import static io.github.oauth2mail.ops.OpsTesting.A;
import static io.github.oauth2mail.ops.OpsTesting.RCPT;
import static io.github.oauth2mail.ops.OpsTesting.TOKEN1;
import static io.github.oauth2mail.ops.OpsTesting.attribute;
import static io.github.oauth2mail.ops.OpsTesting.mbeanName;
import static io.github.oauth2mail.ops.OpsTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Health of a connector resource as a server's health check reads it: through JMX, without adapter classes. */
class HealthTest {

    static final TestCertificates CERTS = GreenMailTls.certificates();
    static final int SMTPS_PORT = OpsTesting.freePort();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new ServerSetup(SMTPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));

    static TestTokenIssuer issuer;
    final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    OAuth2MailManagedConnectionFactory mcf;
    ObjectName name;

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        issuer.stubToken(TOKEN1, 3600);
        GREEN_MAIL.setUser(A, A, TOKEN1);
        GREEN_MAIL.setUser(RCPT, RCPT, "rcpt-password");
        mcf = OpsTesting.factory("health", OpsTesting.settings("health", issuer, SMTPS_PORT, "implicit"));
        mcf.createConnectionFactory();
        name = mbeanName("health");
    }

    @AfterEach
    void tearDown() {
        mcf.close();
    }

    private String check() throws Exception {
        return (String) jmx.invoke(name, "check", new Object[0], new String[0]);
    }

    @Test
    void check_workingIssuer_upWithTokenExpiry() throws Exception {
        assertThat(attribute("health", "HealthStatus")).as("nothing failed yet").isEqualTo("UP");
        assertThat(check()).startsWith("UP: access token valid until");
        assertThat(attribute("health", "HealthStatus")).isEqualTo("UP");
        assertThat((String) attribute("health", "HealthData")).contains("tokenExpiresAt=20")
                .contains("connectionsInUse=0").contains("lastTokenErrorCode=null");
    }

    @Test
    void check_issuerAnswersInvalidClientThenRecovers_downWithCodeThenUpAfterRetryToken() throws Exception {
        issuer.stubError(401, "invalid_client", "client authentication failed", "corr-health-1");
        String down = check();
        assertThat(down).startsWith("DOWN: OAM430 cannot get an access token (invalid_client, correlation id "
                + "corr-health-1");
        assertThat(attribute("health", "HealthStatus")).isEqualTo("DOWN");
        assertThat((String) attribute("health", "HealthReason")).contains("invalid_client").contains("retryToken");

        issuer.stubToken(TOKEN1, 3600);
        assertThat(check()).as("held back: probe interval and the 5 min permanent back-off").startsWith("DOWN");
        assertThat((String) jmx.invoke(name, "retryToken", new Object[0], new String[0])).startsWith("UP");
        assertThat(attribute("health", "HealthStatus")).isEqualTo("UP");
    }

    @Test
    void check_mailServerDownThenBack_downWithConnectionRefusedThenUp() throws Exception {
        Session session = (Session) mcf.createConnectionFactory();
        GREEN_MAIL.stop();
        try {
            assertThatThrownBy(() -> Transport.send(message(session, A, "server down")))
                    .isInstanceOf(MessagingException.class);
            assertThat(attribute("health", "HealthStatus")).isEqualTo("DOWN");
            assertThat((String) attribute("health", "HealthReason")).startsWith("OAM432 mail server 127.0.0.1:"
                    + SMTPS_PORT + " refused the connection (ConnectException");
        } finally {
            GREEN_MAIL.start();
            GREEN_MAIL.setUser(A, A, TOKEN1);
        }
        assertThat(check()).as("the probe connects again").startsWith("UP");
        Transport.send(message(session, A, "server back"));
        assertThat(attribute("health", "HealthStatus")).isEqualTo("UP");
    }
}
