package io.github.oauth2mail.failure;

import java.time.Duration;

/**
 * The one advice table: what an admin does about a failure, by message ID, refined by the identity provider's error
 * code (AADSTS, OAuth2) or the mail server's reply (enhanced status). Used in exception messages, by the diagnostic,
 * health and the MBean. Names config keys through {@link Facts}; never a secret.
 */
public final class Advice {

    private Advice() {
    }

    /** The advice for a failure with {@code id}, reply and kind (see {@link #forMailServer}); null when none. */
    public static String of(Facts f, MessageId id, FailureKind kind, int replyCode, String enhancedStatus,
                            boolean tokenRejected) {
        String server = forMailServer(f, id, kind, replyCode, enhancedStatus, tokenRejected);
        return server != null ? server : id.advice(f);
    }

    /** The advice for what a mail server answered, or null when its reply adds nothing to the ID's advice. */
    public static String forMailServer(Facts f, MessageId id, FailureKind kind, int replyCode, String enhancedStatus,
                                       boolean tokenRejected) {
        String es = enhancedStatus == null ? "" : enhancedStatus;
        if ("5.7.139".equals(es)) {
            return "SMTP AUTH is disabled for the tenant or mailbox: enable authenticated SMTP in Exchange admin "
                    + "(Exchange Online PowerShell: Set-CASMailbox -Identity " + f.mailbox()
                    + " -SmtpClientAuthenticationDisabled $false; for the whole organisation check "
                    + "Get-TransportConfig | fl SmtpClientAuthenticationDisabled)";
        }
        if (kind == FailureKind.THROTTLED) {
            return "too many concurrent connections or messages for this mailbox (Exchange Online allows 3 SMTP "
                    + "connections per mailbox): keep " + f.key("max-connections-per-mailbox") + " at 3 or less "
                    + "and check that no other application or server sends as " + f.mailbox() + " at the same time";
        }
        if (kind == FailureKind.QUOTA) {
            return "the mailbox " + f.mailbox() + " used up its sending quota (Exchange Online: 10,000 recipients a "
                    + "day, 30 messages a minute): wait for the quota to recover, send less, or spread the load over "
                    + "more mailbox(es) with " + f.key("allowed-mailboxes");
        }
        if (id == MessageId.SMTP_AUTH_FAILED && ("5.7.3".equals(es) || tokenRejected)) {
            return "the mail server did not accept the access token: grant the app the SMTP.SendAsApp application "
                    + "permission (Office 365 Exchange Online) with admin consent, register its service principal in "
                    + "Exchange (New-ServicePrincipal -AppId " + (f.clientId() == null ? "<client-id>" : f.clientId())
                    + " -ObjectId <enterprise app object id>), and give it the mailbox permission (Add-MailboxPermission "
                    + "-Identity " + f.mailbox() + " -User <service principal id> -AccessRights FullAccess); check that "
                    + f.key("scope") + " is the mail server's scope (https://outlook.office365.com/.default)";
        }
        if (id == MessageId.SMTP_AUTH_FAILED) {
            return replyCode >= 400 && replyCode < 500 ? "temporary server condition: retry later"
                    : "check that the server supports " + f.saslMechanism() + " on this port (" + f.key("sasl-mechanism")
                    + ")";
        }
        return null;
    }

    /** TLS failed: the certificate does not name the host, or it is not trusted. */
    public static String forTls(Facts f, boolean hostNameMismatch) {
        if (hostNameMismatch) {
            return "the server certificate does not name " + f.smtpHost() + ": set " + f.key("smtp.host")
                    + " to a name in the certificate (for Exchange Online smtp.office365.com), not an IP address or alias";
        }
        return "the certificate of " + f.smtpHost() + " is not trusted: import its CA certificate into "
                + f.key("trust-store-path") + " (or the JVM's cacerts), or check for a TLS-intercepting proxy; "
                + "also check that " + f.key("smtp.tls") + " matches the port (starttls: 587, implicit: 465)";
    }

    /** The SMTP host name does not resolve. */
    public static String forUnknownHost(Facts f) {
        return "the host name " + f.smtpHost() + " cannot be resolved: check " + f.key("smtp.host") + " and DNS";
    }

    /**
     * An error answer of the token endpoint: rate limit and server errors by HTTP status, else by {@code code}.
     *
     * @param wait the identity provider's {@code Retry-After}, or null
     */
    public static String forTokenResponse(Facts f, String code, boolean transientError, int status, Duration wait) {
        if (status == 429) {
            return "rate limited by the identity provider; retrying after "
                    + (wait == null ? "a back-off" : wait.toSeconds() + " s");
        }
        if (transientError) {
            return MessageId.TOKEN_PROVIDER_UNAVAILABLE.advice(f);
        }
        return forToken(f, code);
    }

    /** What to do about the identity provider's error code (AADSTS or OAuth2), or a generic line naming the keys. */
    public static String forToken(Facts f, String code) {
        switch (code == null ? "" : code) {
            case "AADSTS7000215":
                return "client secret is wrong: check " + f.key("client-secret") + " (use the secret's Value, not its "
                        + "Secret ID, from Entra admin center > App registrations > (the app) > Certificates & secrets)";
            case "AADSTS7000222":
                return "client secret expired: create a new one in the app registration and set "
                        + f.key("client-secret") + " (set " + f.key("secondary.client-secret")
                        + " next time to rotate without downtime)";
            case "AADSTS700016":
                return "application not found in tenant: check " + f.key("client-id") + " and " + f.key("tenant-id")
                        + " (the Application (client) ID " + f.clientId() + " in " + f.tenant() + "), and that the "
                        + "app is registered or consented in that tenant";
            case "AADSTS90002":
                return "tenant not found: check " + f.key("tenant-id") + " (the Directory (tenant) ID or a verified "
                        + "domain) and " + f.key("authority");
            case "AADSTS700027":
            case "AADSTS7000214":
                return "the certificate is not accepted: upload it to the app registration or check "
                        + f.key("certificate-path");
            case "AADSTS70021":
            case "AADSTS700211":
            case "AADSTS700024":
                return "the federated assertion is not accepted: check the federated credential (issuer, subject) of "
                        + "the app and that " + f.key("federated-token-file") + " is fresh";
            case "AADSTS1002012":
            case "AADSTS70011":
            case "invalid_scope":
                return "scope rejected: check " + f.key("scope") + " (for Exchange Online "
                        + "https://outlook.office365.com/.default)";
            case "invalid_client":
                return "client authentication failed: check " + f.key("client-id") + " and the credential ("
                        + (f.credential() == null ? f.key("client-secret") + " or " + f.key("certificate-path")
                        : f.credential()) + ")";
            case "unauthorized_client":
                return "the client may not use this grant: check the client's configuration at the identity provider "
                        + "and " + f.key("grant-type");
            case "invalid_grant":
                return "grant rejected (refresh token revoked or expired, or assertion not accepted): check "
                        + f.key("refresh-token") + " / " + f.key("signing-key-path") + ", " + f.key("jwt.issuer")
                        + " and that the mailbox may be impersonated";
            case "invalid_request":
                return "request rejected as malformed: check " + f.key("token-endpoint") + " / " + f.key("authority")
                        + " and " + f.key("client-auth");
            case "unsupported_grant_type":
                return "grant not supported by this endpoint: check " + f.key("grant-type");
            case "io_error":
                return MessageId.TOKEN_ENDPOINT_UNREACHABLE.advice(f);
            default:
                return "rejected by the identity provider: check " + f.key("client-id") + ", the credential and "
                        + f.key("scope") + " of resource '" + f.configName() + "'";
        }
    }
}
