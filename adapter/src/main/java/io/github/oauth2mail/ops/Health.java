package io.github.oauth2mail.ops;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The health of one connector resource: UP or DOWN, why (an OAM43x message with the error code), and data for the
 * admin (token expiry, last refresh, last error, pool use). No secret, no token.
 *
 * @param up     true when mail can be sent as far as the adapter knows
 * @param reason why it is DOWN (or a short note when UP)
 * @param data   ordered name/value pairs
 */
public record Health(boolean up, String reason, Map<String, String> data) {

    public Health {
        data = Map.copyOf(data);
    }

    public String status() {
        return up ? "UP" : "DOWN";
    }

    /** {@code name=value; ...}, names sorted. */
    public String dataText() {
        return data.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return status() + ": " + reason + " [" + dataText() + "]";
    }
}
