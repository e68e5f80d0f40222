package io.github.oauth2mail.token;

import java.time.Duration;
import java.time.Instant;

/**
 * Checks a token answer before it is served: a non-empty token, type Bearer, and a sane lifetime. A missing, zero,
 * negative or absurd ({@code > 1 day}) lifetime is an error, never a token that does not expire.
 */
final class TokenResponses {

    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    private TokenResponses() {
    }

    /**
     * @param tokenType        the {@code token_type}, or null when the client library already checked it
     * @param expiresInSeconds {@code expires_in}; 0 or negative when missing
     */
    static AccessToken check(SourceContext ctx, String value, String tokenType, long expiresInSeconds, Instant now)
            throws TokenException {
        if (value == null || value.isBlank()) {
            throw TokenErrors.invalidResponse(ctx, "access_token is missing or empty");
        }
        if (tokenType != null && !"bearer".equalsIgnoreCase(tokenType)) {
            throw TokenErrors.invalidResponse(ctx, "token_type is '" + tokenType + "', not Bearer");
        }
        if (expiresInSeconds <= 0) {
            throw TokenErrors.invalidResponse(ctx, "expires_in is missing or not positive (" + expiresInSeconds + ")");
        }
        if (expiresInSeconds > MAX_LIFETIME.toSeconds()) {
            throw TokenErrors.invalidResponse(ctx, "expires_in " + expiresInSeconds + " s is longer than one day");
        }
        return new AccessToken(value, now, now.plusSeconds(expiresInSeconds));
    }

    /** Same checks for a client library that gives an absolute expiry instead of expires_in. */
    static AccessToken checkExpiry(SourceContext ctx, String value, Instant expiresOn, Instant now) throws TokenException {
        if (expiresOn == null || !expiresOn.isAfter(now)) {
            throw TokenErrors.invalidResponse(ctx, "expires_in is missing or not positive");
        }
        if (Duration.between(now, expiresOn).compareTo(MAX_LIFETIME) > 0) {
            throw TokenErrors.invalidResponse(ctx, "the token lives longer than one day");
        }
        if (value == null || value.isBlank()) {
            throw TokenErrors.invalidResponse(ctx, "access_token is missing or empty");
        }
        return new AccessToken(value, now, expiresOn);
    }
}
