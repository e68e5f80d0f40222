package io.github.oauth2mail.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.ObjectName;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when every OAuth2 mail connector resource can send: reads each connector MBean's health; for a connector that
 * is DOWN it runs the adapter's active {@code check()} (rate-limited by the adapter to once per 30 s) so that a
 * recovered identity provider or mail server is noticed even when no mail is sent.
 */
@Readiness
@ApplicationScoped
public class MailConnectorsReadiness implements HealthCheck {

    private final ConnectorMBeans mbeans;

    public MailConnectorsReadiness() {
        this(ConnectorMBeans.platform());
    }

    MailConnectorsReadiness(ConnectorMBeans mbeans) {
        this.mbeans = mbeans;
    }

    @Override
    public HealthCheckResponse call() {
        List<ConnectorState> states = new ArrayList<>();
        try {
            for (ObjectName n : mbeans.names()) {
                ConnectorState s = mbeans.read(n);
                if (s != null && !s.up()) {
                    s = mbeans.check(n);
                }
                if (s != null) {
                    states.add(s);
                }
            }
        } catch (JMException | RuntimeException e) {
            return HealthResponses.unreadable(e);
        }
        return HealthResponses.readiness(states);
    }
}
