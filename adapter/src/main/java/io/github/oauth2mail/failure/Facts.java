package io.github.oauth2mail.failure;

/**
 * What advice may name about a connector resource: its config keys, mailbox, client and SMTP server. Built from the
 * settings by the layers that have them (ops, token); this package reads no settings itself. Never holds a secret.
 *
 * @param configName    the resource's ConfigName (keys are {@code oauth2mail.<configName>.<key>}), or null
 * @param credential    the credential kind in use (e.g. {@code client-secret}), or null
 * @param saslMechanism e.g. {@code XOAUTH2}
 */
public record Facts(String configName, String mailbox, String clientId, String tenantId, String smtpHost, int smtpPort,
                    String saslMechanism, String credential) {

    /** The full key of setting {@code key} (e.g. {@code smtp.host}): {@code oauth2mail.<configName>.smtp.host}. */
    public String key(String key) {
        return configName == null ? key : "oauth2mail." + configName + "." + key;
    }

    /** What a mail server exception knows without the settings: keys are named without their prefix. */
    public static Facts of(String mailbox, String smtpHost, int smtpPort, String saslMechanism) {
        return new Facts(null, mailbox, null, null, smtpHost, smtpPort, saslMechanism, null);
    }

    /** {@code host:port} of the SMTP server. */
    public String smtpServer() {
        return smtpHost + ":" + smtpPort;
    }

    /** {@code tenant <id>}, or {@code the tenant} when none is set. */
    public String tenant() {
        return tenantId == null ? "the tenant" : "tenant " + tenantId;
    }
}
