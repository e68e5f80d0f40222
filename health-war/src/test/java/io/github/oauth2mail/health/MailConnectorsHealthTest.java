package io.github.oauth2mail.health;

import static org.assertj.core.api.Assertions.assertThat;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The MBean → MicroProfile Health mapping, against MBeans shaped like the adapter's (same names, same attribute and
 * operation names) on a private MBeanServer. The adapter's real MBean is tested in the adapter module.
 */
class MailConnectorsHealthTest {

    /** The part of the adapter's ConnectorMetricsMBean these checks read. */
    public interface ConnectorHealthMBean {
        String getHealthStatus();

        String getHealthReason();

        String getHealthData();

        String check();
    }

    /** A connector whose check() turns it UP when {@code recoversOnCheck}. */
    static final class Connector implements ConnectorHealthMBean {
        volatile String status;
        volatile String reason;
        final boolean recoversOnCheck;
        int checks;

        Connector(String status, String reason, boolean recoversOnCheck) {
            this.status = status;
            this.reason = reason;
            this.recoversOnCheck = recoversOnCheck;
        }

        @Override
        public String getHealthStatus() {
            return status;
        }

        @Override
        public String getHealthReason() {
            return reason;
        }

        @Override
        public String getHealthData() {
            return "connectionsInUse=0; tokenExpiresAt=2026-11-29T08:00:00Z";
        }

        @Override
        public synchronized String check() {
            checks++;
            if (recoversOnCheck) {
                status = "UP";
                reason = "access token valid until 2026-11-29T08:00:00Z";
            }
            return status + ": " + reason;
        }
    }

    /** A private server (not the platform one), kept by nobody after the test. */
    final MBeanServer server = MBeanServerFactory.newMBeanServer();
    final ConnectorMBeans mbeans = new ConnectorMBeans(server);

    private Connector register(String objectName, Connector c) throws Exception {
        server.registerMBean(new StandardMBean(c, ConnectorHealthMBean.class), new ObjectName(objectName));
        return c;
    }

    @Test
    void readiness_allConnectorsUp_upWithEachConnectorAndItsData() throws Exception {
        Connector a = register("io.github.oauth2mail:type=Connector,name=office365", new Connector("UP", "ok", false));
        register("io.github.oauth2mail:type=Connector,name=office365,instance=2", new Connector("UP", "ok", false));

        HealthCheckResponse r = new MailConnectorsReadiness(mbeans).call();

        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getName()).isEqualTo("oauth2-mail-connectors");
        assertThat(r.getData()).get().satisfies(d -> {
            assertThat(d).containsEntry("connectors", 2L).containsEntry("office365", "UP")
                    .containsEntry("office365#2", "UP")
                    .containsEntry("office365.data", "connectionsInUse=0; tokenExpiresAt=2026-11-29T08:00:00Z");
        });
        assertThat(a.checks).as("no active check while UP").isZero();
    }

    @Test
    void readiness_oneConnectorDownAndCheckDoesNotHelp_downWithReasonAndCode() throws Exception {
        register("io.github.oauth2mail:type=Connector,name=alerts", new Connector("UP", "ok", false));
        Connector bad = register("io.github.oauth2mail:type=Connector,name=office365", new Connector("DOWN",
                "OAM430 cannot get an access token (AADSTS7000215, correlation id c-1, at 2026-11-29T07:00:00Z)", false));

        HealthCheckResponse r = new MailConnectorsReadiness(mbeans).call();

        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData().orElseThrow().get("office365")).asString()
                .startsWith("DOWN: OAM430").contains("AADSTS7000215");
        assertThat(r.getData().orElseThrow()).containsEntry("alerts", "UP");
        assertThat(bad.checks).as("the adapter's active check ran once").isEqualTo(1);
    }

    @Test
    void readiness_downConnectorRecoversOnActiveCheck_up() throws Exception {
        register("io.github.oauth2mail:type=Connector,name=office365",
                new Connector("DOWN", "OAM432 mail server refused the connection (ConnectException)", true));

        assertThat(new MailConnectorsReadiness(mbeans).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void readiness_noConnectorRegisteredYet_upWithZeroConnectors() {
        HealthCheckResponse r = new MailConnectorsReadiness(mbeans).call();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getData().orElseThrow()).containsEntry("connectors", 0L);
    }

    @Test
    void liveness_connectorDown_stillUpBecauseARestartFixesNothing() throws Exception {
        register("io.github.oauth2mail:type=Connector,name=office365", new Connector("DOWN", "OAM430 …", false));
        HealthCheckResponse r = new MailConnectorsLiveness(mbeans).call();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getData().orElseThrow()).containsEntry("connectors", 1L);
    }

    @Test
    void readiness_quotedConfigName_unquotedInData() throws Exception {
        register("io.github.oauth2mail:type=Connector,name=" + ObjectName.quote("mail,office"),
                new Connector("UP", "ok", false));
        assertThat(new MailConnectorsReadiness(mbeans).call().getData().orElseThrow()).containsEntry("mail,office", "UP");
    }
}
