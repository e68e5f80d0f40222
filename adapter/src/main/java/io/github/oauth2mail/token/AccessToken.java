package io.github.oauth2mail.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth2 access token and when it stops being valid. {@link #toString()} never shows the token.
 */
public final class AccessToken {

    private final String value;
    private final Instant issuedAt;
    private final Instant expiresAt;

    public AccessToken(String value, Instant issuedAt, Instant expiresAt) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("access token is empty");
        }
        this.value = value;
        this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("access token expires before it was issued");
        }
    }

    /** The secret token value: pass it to the mail server, never to a log. */
    public String value() {
        return value;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }

    /** True when the token is still valid at {@code now} with at least {@code margin} to spare. */
    public boolean isValidAt(Instant now, Duration margin) {
        return now.plus(margin).isBefore(expiresAt);
    }

    /** Identity comparison on the secret value (used by invalidate), without exposing it. */
    public boolean sameValueAs(AccessToken other) {
        return other != null && value.equals(other.value);
    }

    @Override
    public String toString() {
        return "AccessToken[issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + ", value=<redacted>]";
    }
}
