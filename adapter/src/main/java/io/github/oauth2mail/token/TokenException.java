package io.github.oauth2mail.token;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import java.time.Duration;
import java.time.Instant;

/**
 * No access token could be obtained. The message names the connector resource, the identity provider's error code and
 * correlation id where known, and what to fix; it never contains a secret or a token.
 */
public class TokenException extends Exception implements MailFailure {

    private static final long serialVersionUID = 1L;

    /** Whether retrying later can help. */
    public enum Kind {
        /** Network trouble, 5xx, 429, timeouts: retried with backoff. */
        TRANSIENT,
        /** Wrong or expired credential, unknown app or tenant, bad request: needs an admin. */
        PERMANENT
    }

    private final MessageId messageId;
    private final Kind kind;
    private final String errorCode;
    private final String correlationId;
    private final Instant occurredAt;
    private final Duration retryAfter;

    /**
     * @param text       the message after the ID
     * @param retryAfter the identity provider's {@code Retry-After} (429/503), or null
     */
    public TokenException(MessageId id, Kind kind, String text, String errorCode, String correlationId,
                          Duration retryAfter, Throwable cause) {
        this(id.message(text), id, kind, errorCode, correlationId, retryAfter, cause);
    }

    /** @param text the message after the ID */
    public TokenException(MessageId id, Kind kind, String text, String errorCode, String correlationId,
                          Throwable cause) {
        this(id, kind, text, errorCode, correlationId, null, cause);
    }

    private TokenException(String message, MessageId id, Kind kind, String errorCode, String correlationId,
                           Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.messageId = id;
        this.kind = kind;
        this.errorCode = errorCode;
        this.correlationId = correlationId;
        this.retryAfter = retryAfter;
        this.occurredAt = Instant.now();
    }

    /** The same failure (ID, kind, codes) with {@code suffix} added to its message; this one is the cause. */
    TokenException withSuffix(String suffix) {
        return new TokenException(getMessage() + suffix, messageId, kind, errorCode, correlationId, retryAfter, this);
    }

    @Override
    public MessageId messageId() {
        return messageId;
    }

    /** How long the identity provider asked us to wait ({@code Retry-After}), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isPermanent() {
        return kind == Kind.PERMANENT;
    }

    /** The identity provider's error code (e.g. {@code invalid_client}, {@code AADSTS7000215}), or null. */
    public String errorCode() {
        return errorCode;
    }

    /** The identity provider's correlation/trace id, or null. */
    public String correlationId() {
        return correlationId;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + kind + ", code=" + errorCode + ", correlationId=" + correlationId
                + "]: " + getMessage();
    }
}
