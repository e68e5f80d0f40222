package io.github.oauth2mail.health;

import jakarta.enterprise.context.ApplicationScoped;
import javax.management.JMException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the connector MBeans can be read. Token or mail server trouble is a readiness matter: restarting the
 * server fixes neither a wrong secret nor a refusing mail server, so it never makes liveness DOWN.
 */
@Liveness
@ApplicationScoped
public class MailConnectorsLiveness implements HealthCheck {

    private final ConnectorMBeans mbeans;

    public MailConnectorsLiveness() {
        this(ConnectorMBeans.platform());
    }

    MailConnectorsLiveness(ConnectorMBeans mbeans) {
        this.mbeans = mbeans;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            return HealthResponses.liveness(mbeans.names().size());
        } catch (JMException | RuntimeException e) {
            return HealthResponses.unreadable(e);
        }
    }
}
