package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.transport.SmtpAuthenticationException;
import io.github.oauth2mail.transport.SmtpSendException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Sorts failures of a connector resource into {@link FailureKind}s, extracts the code an admin searches for (the
 * identity provider's error code, or the SMTP reply code with its enhanced status) and names the fix for the known
 * ones. Works on the adapter's own exceptions and their messages; never reads or prints a secret.
 */
public final class KnownFailures {

    private static final Pattern SMTP_CODE = Pattern.compile("\\b([245]\\d\\d)[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private KnownFailures() {
    }

    /** What {@code e} (a send, connect or token failure) was about. */
    public static FailureKind classify(Throwable e) {
        if (find(e, SmtpAuthenticationException.class) != null) {
            return text(e).contains("4.3.2") ? FailureKind.THROTTLED : FailureKind.AUTH;
        }
        if (find(e, TokenException.class) != null) {
            return FailureKind.TOKEN;
        }
        SmtpSendException send = find(e, SmtpSendException.class);
        String text = text(e);
        if (send != null && send.replyCode() == 432 || text.contains("4.3.2")) {
            return FailureKind.THROTTLED;
        }
        if (text.contains("SubmissionQuotaExceeded") || text.matches("(?s).*\\b554[ -]5\\.2\\.0\\b.*")) {
            return FailureKind.QUOTA;
        }
        if (find(e, SSLException.class) != null || text.startsWith("OAM205")) {
            return FailureKind.TLS;
        }
        if (find(e, ConnectException.class) != null || find(e, UnknownHostException.class) != null
                || find(e, NoRouteToHostException.class) != null
                || text.startsWith("OAM203") || text.startsWith("OAM204") || text.startsWith("OAM206")) {
            return FailureKind.CONNECTION;
        }
        if (find(e, SocketTimeoutException.class) != null && send == null) {
            return FailureKind.CONNECTION;
        }
        return FailureKind.OTHER;
    }

    /**
     * The code to search for: the identity provider's error code (e.g. {@code AADSTS7000215}, {@code invalid_client}),
     * the SMTP reply with its enhanced status (e.g. {@code 535 5.7.3}), or the network error's class name; or null.
     */
    public static String code(Throwable e) {
        TokenException te = find(e, TokenException.class);
        if (te != null && te.errorCode() != null) {
            return te.errorCode();
        }
        SmtpAuthenticationException ae = find(e, SmtpAuthenticationException.class);
        if (ae != null) {
            String c = smtpCode(ae.serverReply());
            return c != null ? c : String.valueOf(ae.replyCode());
        }
        SmtpSendException se = find(e, SmtpSendException.class);
        if (se != null && se.serverReply() != null) {
            String c = smtpCode(se.serverReply());
            return c != null ? c : String.valueOf(se.replyCode());
        }
        String c = smtpCode(text(e));
        if (c != null) {
            return c;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? null : root.getClass().getSimpleName();
    }

    /** The identity provider's correlation id, or null. */
    public static String correlationId(Throwable e) {
        TokenException te = find(e, TokenException.class);
        return te == null ? null : te.correlationId();
    }

    /** {@code 535 5.7.3} from {@code 535 5.7.3 Authentication unsuccessful}; the bare code if there is no enhanced one. */
    static String smtpCode(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SMTP_CODE.matcher(text);
        if (m.find()) {
            return m.group(1) + " " + m.group(2);
        }
        Matcher bare = Pattern.compile("^([245]\\d\\d)\\b").matcher(text);
        return bare.find() ? bare.group(1) : null;
    }

    /** What the admin should do about {@code e}, or null when it is not a known failure. */
    public static String fix(ConnectorSettings s, Throwable e) {
        FailureKind kind = classify(e);
        String code = code(e);
        String text = text(e);
        if (kind == FailureKind.TOKEN) {
            return tokenFix(s, code);
        }
        if (text.contains("5.7.139")) {
            return "SMTP AUTH is disabled for the tenant or the mailbox: in Exchange Online PowerShell run "
                    + "Set-CASMailbox -Identity " + s.mailbox() + " -SmtpClientAuthenticationDisabled $false (and check "
                    + "Get-TransportConfig | fl SmtpClientAuthenticationDisabled for the whole organisation)";
        }
        if (text.contains("5.7.3") || kind == FailureKind.AUTH) {
            return "the mail server did not accept the access token: grant the app the SMTP.SendAsApp application "
                    + "permission (Office 365 Exchange Online) with admin consent, register its service principal in "
                    + "Exchange (New-ServicePrincipal -AppId " + s.clientId() + " -ObjectId <enterprise app object id>), "
                    + "and give it the mailbox (Add-MailboxPermission -Identity " + s.mailbox()
                    + " -User <service principal id> -AccessRights FullAccess); check that " + s.key(Setting.SCOPE)
                    + " is the mail server's scope (https://outlook.office365.com/.default)";
        }
        if (kind == FailureKind.THROTTLED) {
            return "too many concurrent connections or messages for this mailbox (Exchange Online allows 3 SMTP "
                    + "connections per mailbox): keep " + s.key(Setting.MAX_CONNECTIONS_PER_MAILBOX) + " at 3 or less "
                    + "and check that no other application or server sends as " + s.mailbox() + " at the same time";
        }
        if (kind == FailureKind.QUOTA) {
            return "the mailbox " + s.mailbox() + " used up its sending quota (Exchange Online: 10,000 recipients a "
                    + "day, 30 messages a minute): wait for the quota to recover, send less, or spread the load over "
                    + "more mailbox(es) with " + s.key(Setting.ALLOWED_MAILBOXES);
        }
        if (kind == FailureKind.TLS) {
            return tlsFix(s, text);
        }
        if (kind == FailureKind.CONNECTION) {
            return connectionFix(s, e, text);
        }
        return null;
    }

    /** The fix for an identity provider error code, or a generic one naming the keys. */
    public static String tokenFix(ConnectorSettings s, String code) {
        String c = code == null ? "" : code;
        switch (c) {
            case "AADSTS7000215":
                return "the client secret is wrong: set " + s.key(Setting.CLIENT_SECRET) + " to the secret's Value "
                        + "(not its Secret ID) from Entra admin center > App registrations > (the app) > Certificates & secrets";
            case "AADSTS7000222":
                return "the client secret has expired: create a new secret in the app registration and set "
                        + s.key(Setting.CLIENT_SECRET) + " (set " + s.key(Setting.SECONDARY_CLIENT_SECRET)
                        + " next time to rotate without downtime)";
            case "AADSTS700016":
                return "application " + s.clientId() + " was not found in " + tenant(s) + ": check "
                        + s.key(Setting.CLIENT_ID) + " (the Application (client) ID) and " + s.key(Setting.TENANT_ID)
                        + ", and that the app is registered or consented in that tenant";
            case "AADSTS90002":
                return tenant(s) + " was not found: check " + s.key(Setting.TENANT_ID)
                        + " (the Directory (tenant) ID or a verified domain) and " + s.key(Setting.AUTHORITY);
            case "AADSTS700027":
            case "AADSTS7000214":
                return "the certificate is not accepted: upload its public part to the app registration or check "
                        + s.key(Setting.CERTIFICATE_PATH);
            case "invalid_client":
                return "the identity provider rejected the client: check " + s.key(Setting.CLIENT_ID) + " and its "
                        + "credential (" + s.key(Setting.CLIENT_SECRET) + " or " + s.key(Setting.CERTIFICATE_PATH) + ")";
            case "invalid_scope":
            case "AADSTS70011":
            case "AADSTS1002012":
                return "the scope was rejected: check " + s.key(Setting.SCOPE);
            case "io_error":
                return "the token endpoint cannot be reached: check the network path, proxy, DNS and "
                        + s.key(Setting.TRUST_STORE_PATH) + " for the identity provider's host";
            default:
                return "the identity provider gave no token: check the error above and the settings "
                        + s.key(Setting.CLIENT_ID) + ", the credential and " + s.key(Setting.SCOPE);
        }
    }

    private static String tenant(ConnectorSettings s) {
        return s.tenantId() == null ? "the tenant" : "tenant " + s.tenantId();
    }

    private static String tlsFix(ConnectorSettings s, String text) {
        String host = s.smtpHost();
        if (text.contains("No subject alternative") || text.contains("No name matching")
                || text.contains("does not match") || text.contains("hostname")) {
            return "the server certificate does not name " + host + ": set " + s.key(Setting.SMTP_HOST)
                    + " to a name in the certificate (for Exchange Online smtp.office365.com), not an IP address or alias";
        }
        return "the certificate of " + host + " is not trusted: import its CA certificate into "
                + s.key(Setting.TRUST_STORE_PATH) + " (or the JVM's cacerts), or check for a TLS-intercepting proxy; "
                + "also check that " + s.key(Setting.SMTP_TLS) + " matches the port (starttls: 587, implicit: 465)";
    }

    private static String connectionFix(ConnectorSettings s, Throwable e, String text) {
        String server = s.smtpHost() + ":" + s.smtpPort();
        if (find(e, UnknownHostException.class) != null) {
            return "the host name " + s.smtpHost() + " cannot be resolved: check " + s.key(Setting.SMTP_HOST) + " and DNS";
        }
        if (find(e, ConnectException.class) != null) {
            return "nothing accepts connections on " + server + ": check " + s.key(Setting.SMTP_HOST) + " and "
                    + s.key(Setting.SMTP_PORT) + " (587 with starttls, 465 with implicit) and that a firewall allows "
                    + "outgoing connections to it";
        }
        if (find(e, SocketTimeoutException.class) != null || text.contains("did not answer")) {
            return "no answer from " + server + ": a firewall probably drops the traffic; check outgoing access to "
                    + server + " and " + s.key(Setting.CONNECT_TIMEOUT_MS);
        }
        if (text.startsWith("OAM203")) {
            return "STARTTLS is not offered: use " + s.key(Setting.SMTP_TLS) + "=implicit with port 465, or check "
                    + "that no proxy strips STARTTLS";
        }
        if (text.startsWith("OAM204")) {
            return "the server does not offer " + s.saslMechanism() + ": set " + s.key(Setting.SASL_MECHANISM)
                    + " to a mechanism it offers, or enable SMTP AUTH on the server";
        }
        return "the mail server " + server + " refused the session: check the reply above and the server's status";
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String text(Throwable e) {
        String m = e.getMessage();
        return m == null ? "" : m;
    }
}
