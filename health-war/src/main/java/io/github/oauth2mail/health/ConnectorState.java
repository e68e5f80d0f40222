package io.github.oauth2mail.health;

/**
 * What one connector MBean says about its health.
 *
 * @param name   the connector resource's ConfigName (plus {@code #instance} for a second factory of the same name)
 * @param status {@code UP} or {@code DOWN}
 * @param reason why (OAM430/431/432 with the error code), or a short note when UP
 * @param data   {@code name=value; ...}: token expiry, last refresh, last error, pool use
 */
record ConnectorState(String name, String status, String reason, String data) {

    boolean up() {
        return "UP".equals(status);
    }
}
