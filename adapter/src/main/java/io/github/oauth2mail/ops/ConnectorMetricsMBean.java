package io.github.oauth2mail.ops;

import java.util.Date;

/**
 * Management interface of one connector resource, registered as
 * {@code io.github.oauth2mail:type=Connector,name=<ConfigName>} on the platform MBeanServer. Simple types only, so
 * any JMX client (jconsole, Jolokia, a health WAR) reads it without the adapter's classes. Dates are null until the
 * event happened. Counters count since the resource started.
 */
public interface ConnectorMetricsMBean {

    String getConnectorName();

    String getMailbox();

    /** {@code host:port (tls)} of the SMTP server. */
    String getMailServer();

    /** The credential in use: {@code client-secret}, or {@code secondary.client-secret} after a switch. */
    String getActiveCredential();

    // ---- tokens ----

    /** First tokens obtained (per cache entry). */
    long getTokensAcquired();

    /** Tokens that replaced an earlier one (ahead of expiry, after expiry or after an invalidation). */
    long getTokensRefreshed();

    /** Failed token requests that are retried with back-off (network, 5xx, 429). */
    long getTokenFailuresTransient();

    /** Failed token requests that need an admin (wrong or expired credential, unknown app or tenant). */
    long getTokenFailuresPermanent();

    /** Failed token requests by error code, e.g. {@code AADSTS7000215=2, io_error=1}. */
    String getTokenFailuresByCode();

    /** Tokens a mail server rejected (535), each followed by a fresh fetch. */
    long getTokenInvalidations();

    long getCredentialSwitches();

    Date getTokenExpiry();

    Date getLastTokenRefresh();

    /**
     * When the configured credential that expires first expires: a certificate's {@code notAfter}, or
     * {@code credential-expires} for a client secret or refresh token; null when none is known.
     */
    Date getCredentialExpiry();

    /** Which credential that is ({@code certificate-path}, {@code secondary.certificate-path}, {@code client-secret}...). */
    String getExpiringCredential();

    /** Whole days until {@link #getCredentialExpiry()} (negative once expired; a metric to alert on); null if unknown. */
    Long getCredentialExpiryDays();

    // ---- connections ----

    long getConnectionsCreated();

    long getConnectionsDestroyed();

    /** Physical SMTP connections open now. */
    int getConnectionsOpen();

    /** Connections lent to a sending application now. */
    int getConnectionsInUse();

    /** Open connections not in use. */
    int getConnectionsIdle();

    // ---- sends ----

    long getSendsSucceeded();

    /** All failed sends; the next attributes split them by cause. */
    long getSendsFailed();

    /** The mail server did not accept the token (535 5.7.3, 535 5.7.139, ...). */
    long getSendsFailedAuth();

    /** {@code 432 4.3.2} / {@code 421 4.3.2}: too many concurrent connections or messages. */
    long getSendsFailedThrottled();

    /** {@code 554 5.2.0 ... SubmissionQuotaExceeded}. */
    long getSendsFailedQuota();

    /** No access token could be had. */
    long getSendsFailedToken();

    /** Mail server unreachable, session refused or TLS failed. */
    long getSendsFailedConnection();

    /** Anything else (recipient rejected, delivery unknown, pool wait exceeded). */
    long getSendsFailedOther();

    /** Each mailbox's current SMTP connection limit on this node ({@code a@x=3, b@x=1}): lowered on 432 4.3.2. */
    String getMailboxLimits();

    /** Sends the mail server refused permanently (5xx), per mailbox since start ({@code a@x=2}). */
    String getPermanentRefusals();

    Date getLastSuccess();

    // ---- IMAP/POP3 store connections (after the one retry with a fresh token) ----

    /** All failed IMAP/POP3 store connections; the next attributes split them by cause. */
    long getStoreFailures();

    /** The IMAP/POP3 server did not accept the token, nor a freshly fetched one. */
    long getStoreFailuresAuth();

    /** IMAP/POP3 server unreachable, session refused or TLS failed. */
    long getStoreFailuresConnection();

    /** No access token could be had for an IMAP/POP3 connection. */
    long getStoreFailuresToken();

    // ---- last error (token or mail) ----

    /** e.g. {@code AADSTS7000215}, {@code invalid_client}, {@code 535 5.7.3}, {@code ConnectException}. */
    String getLastErrorCode();

    String getLastErrorCorrelationId();

    Date getLastErrorTime();

    /** The message the caller got (secret-free, with the OAM ID and the likely fix). */
    String getLastErrorMessage();

    // ---- health ----

    /** {@code UP} or {@code DOWN}, from what is known now (no network call). */
    String getHealthStatus();

    /** Why (OAM430/431/432 with the error code) or a short note when UP. */
    String getHealthReason();

    /** {@code name=value; ...}: token expiry, last refresh, last errors, pool use. */
    String getHealthData();

    /**
     * Active check: asks for a token (served from the cache when valid; a request to the identity provider only when
     * needed and not held back by the back-off) and, when the mail server refused the last connection, opens and
     * closes one SMTP connection. At most one probe per 30 s; may wait up to token-wait-ms.
     *
     * @return {@code UP: ...} or {@code DOWN: ...}
     */
    String check();

    /** Lifts the 5 min back-off after a permanent token error (call after fixing the cause), then {@link #check()}. */
    String retryToken();
}
