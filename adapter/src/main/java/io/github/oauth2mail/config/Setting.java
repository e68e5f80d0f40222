package io.github.oauth2mail.config;

import java.util.Locale;

/**
 * Every key an admin can set, as {@code oauth2mail.<name>.<key>} in MicroProfile Config (env var
 * {@code OAUTH2MAIL_<NAME>_<KEY>}), and for non-secret keys also as a config-property on the connector pool
 * ({@link #poolProperty()}). The README's configuration table is checked against this list by a test.
 */
public enum Setting {
    PROVIDER("provider", false, "entra", "`entra` (Microsoft Entra ID through MSAL4J) or `oauth2` (any OAuth2 token endpoint)"),
    TENANT_ID("tenant-id", false, null, "Entra tenant (directory) id or domain"),
    CLIENT_ID("client-id", false, null, "application (client) id of the app registration / OAuth2 client"),
    CLIENT_SECRET("client-secret", true, null, "client secret (one credential only)"),
    CERTIFICATE_PATH("certificate-path", false, null, "client certificate: PKCS#12 (`.p12`/`.pfx`) or PEM file holding the private key and certificate (one credential only)"),
    CERTIFICATE_PASSWORD("certificate-password", true, null, "password of the PKCS#12 file"),
    MANAGED_IDENTITY("managed-identity", false, null, "`system`, or the client id of a user-assigned managed identity (one credential only)"),
    FEDERATED_TOKEN_FILE("federated-token-file", false, null, "workload identity federation: file holding the client assertion, read on every token request (one credential only)"),
    SECONDARY_CLIENT_SECRET("secondary.client-secret", true, null, "the next client secret, used when the primary one is rejected as invalid or expired (rotation without downtime)"),
    SECONDARY_CERTIFICATE_PATH("secondary.certificate-path", false, null, "the next client certificate, used when the primary credential is rejected"),
    SECONDARY_CERTIFICATE_PASSWORD("secondary.certificate-password", true, null, "password of the secondary PKCS#12 file"),
    AUTHORITY("authority", false, "https://login.microsoftonline.com/", "Entra authority URL (the tenant id is appended); HTTPS only"),
    TOKEN_ENDPOINT("token-endpoint", false, null, "generic OAuth2 token endpoint URL; HTTPS only"),
    GRANT_TYPE("grant-type", false, "client_credentials", "generic OAuth2 grant: `client_credentials`, `refresh_token` or `jwt-bearer`"),
    REFRESH_TOKEN("refresh-token", true, null, "refresh token for `grant-type=refresh_token` (a rotated one returned by the server replaces it in memory)"),
    SIGNING_KEY_PATH("signing-key-path", false, null, "PEM (PKCS#8) private key that signs the `jwt-bearer` assertion"),
    JWT_ISSUER("jwt.issuer", false, null, "`iss` of the `jwt-bearer` assertion (default: `client-id`)"),
    JWT_AUDIENCE("jwt.audience", false, null, "`aud` of the `jwt-bearer` assertion (default: `token-endpoint`)"),
    CLIENT_AUTH("client-auth", false, "client_secret_basic", "how the generic source sends the client secret: `client_secret_basic` or `client_secret_post`"),
    SCOPE("scope", false, null, "token scope(s), space separated (default for `entra`: `https://outlook.office365.com/.default`; for `oauth2` required except with `refresh_token`)"),
    MAILBOX("mailbox", false, null, "the mailbox to authenticate as (XOAUTH2 `user=`) and the default sender"),
    ALLOWED_MAILBOXES("allowed-mailboxes", false, "", "comma-separated other mailboxes an app may name in `Transport.send(msg, user, password)`"),
    SASL_MECHANISM("sasl-mechanism", false, "XOAUTH2", "`XOAUTH2` or `OAUTHBEARER` (RFC 7628)"),
    SMTP_HOST("smtp.host", false, "smtp.office365.com", "SMTP submission server"),
    SMTP_PORT("smtp.port", false, "587", "SMTP port"),
    SMTP_TLS("smtp.tls", false, "starttls", "`starttls` (required before AUTH) or `implicit` (SMTPS, e.g. port 465)"),
    IMAP_HOST("imap.host", false, "outlook.office365.com", "IMAP server"),
    IMAP_PORT("imap.port", false, "993", "IMAP port"),
    IMAP_TLS("imap.tls", false, "implicit", "`implicit` (IMAPS) or `starttls`"),
    POP3_HOST("pop3.host", false, "outlook.office365.com", "POP3 server (`session.getStore(\"pop3\")`)"),
    POP3_PORT("pop3.port", false, "995", "POP3 port"),
    POP3_TLS("pop3.tls", false, "implicit", "`implicit` (POP3S) or `starttls` (STLS)"),
    MAX_CONNECTIONS_PER_MAILBOX("max-connections-per-mailbox", false, "3", "physical SMTP connections per mailbox (Exchange Online allows 3)"),
    CONNECT_TIMEOUT_MS("connect-timeout-ms", false, "10000", "TCP connect timeout for mail servers and the token endpoint, milliseconds"),
    READ_TIMEOUT_MS("read-timeout-ms", false, "60000", "read timeout for mail servers and the token endpoint, milliseconds"),
    TOKEN_WAIT_MS("token-wait-ms", false, "30000", "longest a send waits for a token when none is valid, milliseconds"),
    POOL_WAIT_MS("pool-wait-ms", false, "30000", "longest a send waits for a free connection when the mailbox is at its limit, milliseconds"),
    SEND_DEADLINE_MS("send-deadline-ms", false, "30000", "longest one `Transport.send` may take while it retries temporary refusals (4xx replies that prove the message was not accepted), with jittered back-off, milliseconds; `0`: no retry"),
    TRUST_STORE_PATH("trust-store-path", false, null, "trust store for the mail servers and the token endpoint (default: the JVM's)"),
    TRUST_STORE_PASSWORD("trust-store-password", true, null, "password of that trust store"),
    TRUST_STORE_TYPE("trust-store-type", false, "PKCS12", "type of that trust store"),
    MAIL_DEBUG("mail-debug", false, "false", "protocol trace at FINE in the server log (AUTH lines redacted)"),
    CLOUD("cloud", false, "global", "Microsoft cloud preset: `global`, `usgov` (GCC High), `usgov-dod` (DoD) or `china` (21Vianet); sets the defaults of `authority`, the `entra` `scope`, `smtp.host`, `imap.host`, `pop3.host` and `graph-endpoint` (explicit keys win; see \"National clouds\")"),
    PROXY_HOST("proxy-host", false, null, "HTTPS proxy for token requests (default: the JVM's proxy settings); never used for the managed identity endpoint"),
    PROXY_PORT("proxy-port", false, null, "port of `proxy-host` (required with it)"),
    PROXY_USER("proxy-user", false, null, "user name for the proxy (HTTP Basic; see \"Proxies\" for the JVM option tunnelling needs)"),
    PROXY_PASSWORD("proxy-password", true, null, "password of `proxy-user`"),
    REFRESH_TOKEN_FILE("refresh-token-file", false, null, "`grant-type=refresh_token`: file that keeps the newest refresh token across restarts; read at start (when it exists and is not empty it wins over `refresh-token`), rewritten atomically, owner-only (`rw-------`), whenever the server rotates the token"),
    CREDENTIAL_EXPIRES("credential-expires", false, null, "ISO date (e.g. `2027-06-30`) the client secret or refresh token expires; WARNING `OAM119` 30, 7 and 1 days before, also in health and the MBean (certificates: their own `notAfter` is read)"),
    SECONDARY_CREDENTIAL_EXPIRES("secondary.credential-expires", false, null, "ISO date the `secondary.client-secret` expires; warned like `credential-expires` (`OAM119` 30, 7 and 1 days before, health, MBean, diagnostic)"),
    SEND_VIA("send-via", false, "smtp", "how `Transport.send` submits: `smtp` (SMTP AUTH XOAUTH2) or `graph` (Microsoft Graph `sendMail`, application permission `Mail.Send`; for tenants with SMTP AUTH off)"),
    GRAPH_ENDPOINT("graph-endpoint", false, "https://graph.microsoft.com", "Microsoft Graph base URL for `send-via=graph` (national clouds: e.g. `https://graph.microsoft.us`); HTTPS only"),
    GRAPH_DRAFT_ROUTE("graph-draft-route", false, "false", "with `send-via=graph`: deliver Bcc and envelope-only recipients, and messages over the 4 MB request limit (attachments of 3 to 150 MB uploaded separately), by creating a draft and sending it (needs the wider application permission `Mail.ReadWrite`); `false`: such messages are refused (`OAM609`, `OAM608`)"),
    GRAPH_SAVE_TO_SENT_ITEMS("graph-save-to-sent-items", false, "true", "with `send-via=graph`: keep a copy of each sent message in the mailbox's Sent Items, as SMTP AUTH to Exchange Online does; `false`: no copy, the message goes in Graph's JSON form (`saveToSentItems=false`; Bcc and envelope-only recipients without `Mail.ReadWrite`; a message it cannot carry is refused with `OAM614`)");

    /** Prefix of every MicroProfile Config key. */
    public static final String PREFIX = "oauth2mail.";

    private final String key;
    private final boolean secret;
    private final String defaultValue;
    private final String description;

    Setting(String key, boolean secret, String defaultValue, String description) {
        this.key = key;
        this.secret = secret;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The key after {@code oauth2mail.<name>.}, e.g. {@code smtp.host}. */
    public String key() {
        return key;
    }

    /** The full MicroProfile Config key for a connector resource. */
    public String fullKey(String configName) {
        return PREFIX + configName + "." + key;
    }

    /** Secrets come only from MicroProfile Config, never from pool properties, and never appear in any output. */
    public boolean isSecret() {
        return secret;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The ra.xml / pool config-property name, e.g. {@code SmtpHost} for {@code smtp.host}. */
    public String poolProperty() {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : key.toCharArray()) {
            if (c == '.' || c == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** Looks a setting up by its short key, or null. */
    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }
}
