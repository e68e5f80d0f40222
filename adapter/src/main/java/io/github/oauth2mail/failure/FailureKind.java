package io.github.oauth2mail.failure;

/** What a failed send or connection was about, as an admin sorts it: who has to act. */
public enum FailureKind {
    /** No access token: the identity provider refused or could not be reached. */
    TOKEN,
    /** The mail server could not be reached (refused, timed out, unknown host) or refused the session. */
    CONNECTION,
    /** TLS failed: certificate not trusted or not naming the host. */
    TLS,
    /** The mail server did not accept the token (535 and similar). */
    AUTH,
    /** Too many connections or messages at once ({@code 432 4.3.2}, {@code 421 4.3.2}). */
    THROTTLED,
    /** The mailbox's sending quota is used up ({@code 554 5.2.0 ... SubmissionQuotaExceeded}). */
    QUOTA,
    /** Anything else (recipient rejected, delivery unknown, pool wait, configuration, a log line, ...). */
    OTHER;

    /** True when the mail server itself refused us (health: the mail server is at fault). */
    public boolean serverRefused() {
        return this == CONNECTION || this == TLS || this == AUTH;
    }
}
