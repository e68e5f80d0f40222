package io.github.oauth2mail.token;

import java.time.Instant;

/**
 * A snapshot of a connector resource's token state for health checks. No token value, no secret.
 *
 * @param resource             config name
 * @param activeCredential     e.g. {@code client-secret}, or {@code secondary.client-secret} after a switch
 * @param expiresAt            expiry of the newest token held (for per-mailbox sources: the one expiring first), or null
 * @param lastRefresh          when a token was last obtained, or null
 * @param lastErrorCode        the identity provider's code of the last failure (cleared by a success), or null
 * @param lastCorrelationId    its correlation id, or null
 * @param lastErrorAt          when it happened, or null
 * @param lastErrorMessage     the message callers got (safe to show), or null
 * @param lastErrorPermanent   whether the last failure needs an admin
 * @param expiringCredential   the configured credential that expires first ({@code certificate-path},
 *                             {@code client-secret} with {@code credential-expires}, ...), or null when none is known
 * @param credentialExpiresAt  when it expires, or null
 */
public record TokenStatus(String resource, String activeCredential, Instant expiresAt, Instant lastRefresh,
                          String lastErrorCode, String lastCorrelationId, Instant lastErrorAt, String lastErrorMessage,
                          boolean lastErrorPermanent, String expiringCredential, Instant credentialExpiresAt) {

    /** Without a known credential expiry. */
    public TokenStatus(String resource, String activeCredential, Instant expiresAt, Instant lastRefresh,
                       String lastErrorCode, String lastCorrelationId, Instant lastErrorAt, String lastErrorMessage,
                       boolean lastErrorPermanent) {
        this(resource, activeCredential, expiresAt, lastRefresh, lastErrorCode, lastCorrelationId, lastErrorAt,
                lastErrorMessage, lastErrorPermanent, null, null);
    }

    /** True when a token is held that is valid at {@code now} and the last attempt did not fail. */
    public boolean healthyAt(Instant now) {
        return expiresAt != null && expiresAt.isAfter(now) && lastErrorAt == null;
    }
}
