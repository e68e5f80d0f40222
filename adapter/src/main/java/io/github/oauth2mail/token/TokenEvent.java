package io.github.oauth2mail.token;

import java.time.Instant;

/**
 * Something that happened to the tokens of a connector resource. Carries no token value and no secret.
 *
 * @param type       what happened
 * @param resource   the connector resource's config name
 * @param mailbox    the mailbox for per-mailbox sources, else null
 * @param credential the credential in use, e.g. {@code client-secret}
 * @param expiresAt  expiry of the new token (ACQUIRED, REFRESHED), else null
 * @param error      the failure (FAILED, CREDENTIAL_SWITCHED: the error that caused the switch), else null
 * @param at         when it happened
 */
public record TokenEvent(Type type, String resource, String mailbox, String credential, Instant expiresAt,
                         TokenException error, Instant at) {

    /** Event kinds. */
    public enum Type {
        /** First token of a cache entry. */
        ACQUIRED,
        /** A token replaced an earlier one (ahead of expiry, after expiry or after an invalidation). */
        REFRESHED,
        /** A fetch failed; see {@link TokenEvent#error()}. */
        FAILED,
        /** A mail server rejected the current token; the next caller gets a fresh one. */
        INVALIDATED,
        /** The primary credential was rejected; the secondary one is used from now on. */
        CREDENTIAL_SWITCHED,
        /**
         * The credentials were read again and the ones named in {@link TokenEvent#credential()} (comma separated)
         * changed; they are used from now on.
         */
        CREDENTIAL_RELOADED
    }
}
