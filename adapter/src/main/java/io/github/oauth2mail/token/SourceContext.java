package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;

/**
 * What a token source tells an admin about itself in messages: resource, endpoint, tenant, client id, credential.
 * Never a secret.
 */
record SourceContext(ConnectorSettings settings, String endpoint, String credential) {

    String resource() {
        return settings.name();
    }

    String key(Setting s) {
        return settings.key(s);
    }

    /** e.g. {@code https://login.microsoftonline.com/contoso/ (tenant contoso, client 1234, credential client-secret)}. */
    String describe() {
        StringBuilder sb = new StringBuilder(endpoint).append(" (");
        if (settings.tenantId() != null && settings.provider() == ConnectorSettings.Provider.ENTRA) {
            sb.append("tenant ").append(settings.tenantId()).append(", ");
        }
        if (settings.clientId() != null) {
            sb.append("client ").append(settings.clientId()).append(", ");
        }
        sb.append("credential ").append(credential);
        if (settings.tokenProxy().isPresent() && settings.credential() != ConnectorSettings.Credential.MANAGED_IDENTITY) {
            sb.append(", via proxy ").append(settings.tokenProxy().get().address());
        }
        return sb.append(')').toString();
    }
}
