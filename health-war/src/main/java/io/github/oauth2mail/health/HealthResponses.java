package io.github.oauth2mail.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Maps connector states to one MicroProfile Health response. Pure; built with the API's constructor (no provider). */
final class HealthResponses {

    static final String NAME = "oauth2-mail-connectors";

    private HealthResponses() {
    }

    /**
     * UP when every connector is UP (also when none is registered yet: resources register on first use). Data:
     * {@code connectors} (count), {@code <name>} ({@code UP}/{@code DOWN: reason}) and {@code <name>.data}.
     */
    static HealthCheckResponse readiness(List<ConnectorState> states) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connectors", (long) states.size());
        boolean up = true;
        for (ConnectorState s : states) {
            up &= s.up();
            data.put(s.name(), s.up() ? "UP" : "DOWN: " + s.reason());
            data.put(s.name() + ".data", s.data());
        }
        return new HealthCheckResponse(NAME, up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(data));
    }

    /** DOWN: the connector MBeans cannot be read at all. */
    static HealthCheckResponse unreadable(Exception failure) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("error", failure.toString());
        return new HealthCheckResponse(NAME, HealthCheckResponse.Status.DOWN, Optional.of(data));
    }

    /** Liveness: UP with the connector count. */
    static HealthCheckResponse liveness(int connectors) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connectors", (long) connectors);
        return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.of(data));
    }
}
