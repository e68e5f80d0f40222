package io.github.oauth2mail.failure;

import static io.github.oauth2mail.failure.FailureKind.AUTH;
import static io.github.oauth2mail.failure.FailureKind.CONNECTION;
import static io.github.oauth2mail.failure.FailureKind.OTHER;
import static io.github.oauth2mail.failure.FailureKind.TLS;
import static io.github.oauth2mail.failure.FailureKind.TOKEN;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Every operator-facing message ID the adapter (and its WildFly naming module and health WAR) prints: one ID, one
 * meaning. Each has the {@link FailureKind} of the failure it reports ({@link FailureKind#OTHER} for log lines that
 * report no failure) and its advice, naming the keys to fix; {@link Advice} refines that advice by the identity
 * provider's error code or the mail server's enhanced status. README's operations table lists every ID (a test
 * checks both ways).
 */
public enum MessageId {
    CONFIGURATION_INVALID("OAM001", OTHER, f -> "set or correct every key listed (as env var: upper case, '.' and '-' as '_')"),

    TOKEN_ACQUIRED("OAM101", OTHER, null),
    TOKEN_REFRESHED("OAM102", OTHER, null),
    TOKEN_REJECTED_BY_MAIL_SERVER("OAM104", OTHER, null),
    CREDENTIAL_SWITCHED("OAM105", OTHER, f -> "replace the primary credential before the secondary one expires"),
    REFRESH_TOKEN_ROTATED("OAM106", OTHER, null),
    STALE_REJECTION_IGNORED("OAM107", OTHER, null),
    REPEATED_REJECTION_NOT_REFETCHED("OAM108", OTHER, null),
    TOKEN_LISTENER_FAILED("OAM109", OTHER, f -> "report it (a bug in metrics or audit)"),
    TOKEN_ENDPOINT_UNREACHABLE("OAM110", TOKEN, f -> "the token endpoint cannot be reached: check the network path, "
            + "proxy, DNS and " + f.key("trust-store-path") + " for the identity provider's host"),
    TOKEN_PROVIDER_UNAVAILABLE("OAM111", TOKEN, f -> "identity provider error; retrying with back-off"),
    TOKEN_REQUEST_REJECTED("OAM112", TOKEN, null),
    TOKEN_RESPONSE_UNUSABLE("OAM113", TOKEN, f -> "check that " + f.key("token-endpoint") + " is an OAuth2 token endpoint"),
    TOKEN_REQUEST_LOCAL_PROBLEM("OAM114", TOKEN, f -> "check the key or file the message names"),
    TOKEN_WAIT_EXCEEDED("OAM115", TOKEN, f -> "fix the attached error; raise " + f.key("token-wait-ms")
            + " only if the identity provider is slow"),
    RESOURCE_STOPPED("OAM116", TOKEN, f -> "redeploy or restart the connector resource"),
    TOKEN_FETCH_UNEXPECTED("OAM117", TOKEN, f -> "report it with the stack trace (a bug)"),
    CONFIG_SOURCE_FAILED("OAM118", OTHER, f -> "fix the server's MicroProfile Config sources (the cause names them)"),
    TOKEN_EXPIRED_BEFORE_USE("OAM272", TOKEN, f -> "check the server's clock (NTP)"),
    TOKEN_WAIT_INTERRUPTED("OAM273", TOKEN, f -> "nothing: the calling thread was interrupted"),

    SMTP_TRACE("OAM200", OTHER, null),
    SMTP_TOKEN_REJECTED_RETRYING("OAM201", OTHER, null),
    SMTP_AUTH_FAILED("OAM202", AUTH, f -> "check that the token's scope/audience is for this mail server ("
            + f.key("scope") + "), that the app may act as mailbox " + f.mailbox() + ", and the server's log"),
    SMTP_STARTTLS_UNAVAILABLE("OAM203", CONNECTION, f -> "STARTTLS is not offered: use " + f.key("smtp.tls")
            + "=implicit with port 465, or check that no proxy strips STARTTLS"),
    SMTP_MECHANISM_NOT_OFFERED("OAM204", CONNECTION, f -> "the server does not offer " + f.saslMechanism() + ": set "
            + f.key("sasl-mechanism") + " to a mechanism it offers, or enable SMTP AUTH on the server"),
    SMTP_TLS_FAILED("OAM205", TLS, f -> Advice.forTls(f, false)),
    SMTP_CONNECT_FAILED("OAM206", CONNECTION, f -> "nothing accepts connections on " + f.smtpServer() + ": check "
            + f.key("smtp.host") + " and " + f.key("smtp.port") + " (587 with starttls, 465 with implicit) and that a "
            + "firewall allows outgoing connections to it"),
    SMTP_NO_ANSWER("OAM260", CONNECTION, f -> "no answer from " + f.smtpServer() + ": a firewall probably drops the "
            + "traffic, or " + f.key("smtp.tls") + " does not match the port; check outgoing access to " + f.smtpServer()
            + " and " + f.key("connect-timeout-ms")),
    SMTP_SESSION_REFUSED("OAM261", CONNECTION, f -> "the mail server " + f.smtpServer() + " refused the session: check "
            + "the reply above and the server's status"),
    SMTP_MAILBOX_INVALID("OAM207", OTHER, f -> "fix the mailbox address (" + f.key("mailbox") + " or the one the app named)"),
    SMTP_CONNECTION_CLOSED("OAM208", OTHER, f -> "nothing: the pool replaces the connection"),
    SMTP_MAIL_FROM_REJECTED("OAM209", OTHER, f -> "act on the quoted reply"),
    SMTP_RECIPIENTS_REJECTED("OAM210", OTHER, f -> "act on the quoted reply"),
    SMTP_DATA_REJECTED("OAM211", OTHER, f -> "act on the quoted reply"),
    SMTP_MESSAGE_REJECTED("OAM212", OTHER, f -> "act on the quoted reply"),
    SMTP_DELIVERY_UNKNOWN("OAM213", OTHER, f -> "check the recipient's mailbox; resend by hand if the message is missing"),
    SMTP_BROKEN_BEFORE_DATA("OAM214", OTHER, f -> "nothing unless frequent (network, idle timeouts)"),
    SMTP_RSET_FAILED("OAM262", OTHER, f -> "nothing: the connection is replaced"),
    SMTP_MESSAGE_UNWRITABLE("OAM215", OTHER, f -> "fix the message content (attachments, data handlers)"),
    SMTP_RECIPIENTS_INVALID("OAM216", OTHER, f -> "fix the recipient address(es) the app set"),
    SMTP_NO_RECIPIENTS("OAM263", OTHER, f -> "give the message at least one recipient"),
    SMTP_NO_SMTPUTF8("OAM264", OTHER, f -> "use an ASCII mailbox, or a server that offers SMTPUTF8"),
    SMTP_HEADER_INVALID("OAM217", OTHER, f -> "fix the header value the app set (no raw line breaks or control characters)"),

    STORE_MAILBOX_NOT_ALLOWED("OAM220", OTHER, f -> "add the mailbox to " + f.key("allowed-mailboxes") + " or use "
            + f.key("mailbox")),
    STORE_TOKEN_REJECTED_RETRYING("OAM221", OTHER, null),
    STORE_TOKEN_REJECTED_TWICE("OAM222", AUTH, f -> "check the app's IMAP.AccessAsApp / POP.AccessAsApp permission (with "
            + "admin consent), the service principal in Exchange and the mailbox permission, and that the token's "
            + "scope (" + f.key("scope") + ") is for this server"),
    STORE_NO_PROVIDER("OAM223", OTHER, f -> "deploy on a server whose Jakarta Mail implementation has IMAP/POP3 providers"),
    STORE_NO_CONNECTOR("OAM224", OTHER, f -> "use the Session of the adapter's connection factory"),
    STORE_NOT_CONFIGURED_SERVER("OAM225", OTHER, f -> "connect to the configured server (" + f.key("imap.host") + ", "
            + f.key("pop3.host") + ") or omit host and port"),
    STORE_CONNECT_FAILED("OAM226", CONNECTION, f -> "check " + f.key("imap.host") + "/" + f.key("imap.port") + " (or "
            + "pop3.*), DNS and that a firewall allows outgoing connections to the server"),
    STORE_TLS_FAILED("OAM266", TLS, f -> "import the server's CA certificate into " + f.key("trust-store-path") + " (or "
            + "the JVM's cacerts), use a host name the certificate names, and check that " + f.key("imap.tls") + "/"
            + f.key("pop3.tls") + " matches the port"),
    STORE_NO_ANSWER("OAM267", CONNECTION, f -> "a firewall probably drops the traffic, or the TLS mode does not match the "
            + "port: check " + f.key("imap.tls") + "/" + f.key("pop3.tls") + " and " + f.key("read-timeout-ms")),
    STORE_STARTTLS_UNAVAILABLE("OAM268", CONNECTION, f -> "use " + f.key("imap.tls") + "=implicit (port 993), or check "
            + "that no proxy strips STARTTLS"),
    STORE_MECHANISM_NOT_OFFERED("OAM269", CONNECTION, f -> "the server does not offer " + f.saslMechanism() + ": set "
            + f.key("sasl-mechanism") + " to one it offers, or enable OAuth2 for IMAP/POP3 on the server"),
    STORE_SESSION_REFUSED("OAM270", CONNECTION, f -> "the server refused the session or answered out of protocol: check "
            + "the reply quoted and the server's status"),
    POP3_XOAUTH2_ONLY("OAM271", OTHER, f -> "set " + f.key("sasl-mechanism") + "=XOAUTH2, or use IMAP"),
    STORE_TOKEN_REJECTED("OAM227", AUTH, f -> "see OAM222"),
    IMAP_TRACE("OAM228", OTHER, null),

    SESSION_NOT_FROM_CONNECTOR("OAM230", OTHER, f -> "look up the connector resource's Session"),
    RETURN_CONNECTION_FAILED("OAM231", OTHER, null),
    MAILBOX_NOT_ALLOWED("OAM232", OTHER, f -> "add the mailbox to " + f.key("allowed-mailboxes") + " or send as "
            + f.key("mailbox")),
    TRANSPORT_NO_CONFIG_NAME("OAM240", OTHER, f -> "add the property mail.oauth2mail.config-name=<name> to the mail session"),
    REPLY_BOUND_EXCEEDED("OAM250", CONNECTION, f -> "the mail server sent a reply past the adapter's bounds (lines, "
            + "bytes or line length) or too slowly for " + f.key("read-timeout-ms") + ": check the server, or what sits "
            + "between here and it"),
    REPLY_MALFORMED("OAM251", CONNECTION, f -> "the mail server's reply was malformed or its lines carried different "
            + "codes (RFC 5321 4.2.1): check the server, or what sits between here and it"),
    STRAY_REPLY_WHILE_IDLE("OAM252", OTHER, null),
    IMAP_TOO_MANY_CONTINUATIONS("OAM253", CONNECTION, f -> "the IMAP server kept asking for more during AUTHENTICATE: "
            + "check the server and " + f.key("sasl-mechanism")),
    AUTH_ACCEPTED_BEFORE_TOKEN("OAM254", CONNECTION, f -> "the SMTP server claimed success before the token was sent: "
            + "check that " + f.key("smtp.host") + " is the real submission server"),

    ADAPTER_STARTED("OAM300", OTHER, null),
    ADAPTER_STOPPED("OAM301", OTHER, null),
    TOKEN_PROVIDER_CLOSE_FAILED("OAM302", OTHER, f -> "check the message"),
    RESOURCE_READY("OAM303", OTHER, null),
    POOL_WAIT_EXCEEDED("OAM304", OTHER, f -> "send less in parallel, or raise " + f.key("pool-wait-ms")),
    POOLED_CONNECTION_BROKEN("OAM305", OTHER, null),
    ADAPTER_STOPPED_FACTORY_USED("OAM306", OTHER, f -> "redeploy or restart the resource adapter"),
    RUNTIME_CLOSED("OAM307", OTHER, f -> "look the Session up again"),
    MAILBOX_LIMIT_CHANGED("OAM308", OTHER, null),
    TEMPORARY_REFUSAL_RETRIED("OAM309", OTHER, null),

    AUDIT_TOKEN_EVENT("OAM400", OTHER, null),
    AUDIT_TOKEN_ACQUIRED("OAM401", OTHER, null),
    AUDIT_TOKEN_REFRESHED("OAM402", OTHER, null),
    AUDIT_TOKEN_FAILED("OAM403", OTHER, null),
    AUDIT_TOKEN_INVALIDATED("OAM404", OTHER, null),
    AUDIT_CREDENTIAL_SWITCHED("OAM405", OTHER, null),
    AUDIT_MAIL_SERVER_AUTH_FAILED("OAM406", OTHER, null),
    AUDIT_PERMANENT_REFUSAL("OAM407", OTHER, null),
    MBEAN_REGISTERED("OAM410", OTHER, null),
    MBEAN_NAME_TAKEN("OAM411", OTHER, null),
    MBEAN_NOT_REGISTERED("OAM412", OTHER, f -> "check the server's JMX security settings; mail keeps working"),
    MBEAN_UNREGISTER_FAILED("OAM413", OTHER, f -> "check the server's JMX security settings; mail keeps working"),
    DIAGNOSE_CHECKING("OAM420", OTHER, null),
    DIAGNOSE_OK("OAM421", OTHER, null),
    DIAGNOSE_FAILED("OAM422", OTHER, null),
    DIAGNOSE_USAGE("OAM429", OTHER, null),
    HEALTH_TOKEN_PERMANENT("OAM430", OTHER, null),
    HEALTH_TOKEN_TRANSIENT("OAM431", OTHER, null),
    HEALTH_MAIL_SERVER_REFUSED("OAM432", OTHER, null),
    HEALTH_REFUSALS_RISING("OAM433", OTHER, f -> "fix what the last permanent refusal names before Exchange Online "
            + "blocks the mailbox from SMTP AUTH (550 5.2.251-5.2.255)"),
    HEALTH_CHECK_FAILED("OAM440", OTHER, null),

    NAMING_NO_SESSION_FACTORY("OAM500", OTHER, null),
    NAMING_BOUND_AFTER_RETRIES("OAM501", OTHER, null),
    NAMING_NOT_BOUND("OAM502", OTHER, null),
    NAMING_NOT_A_FACTORY("OAM503", OTHER, null),
    NAMING_SESSION_FAILED("OAM504", OTHER, null),

    TOKEN_PROXY_REJECTED("OAM160", TOKEN, f -> "the proxy refused the token request (407): check " + f.key("proxy-user")
            + " and " + f.key("proxy-password") + ", and that the JVM sends Basic credentials on CONNECT "
            + "(-Djdk.http.auth.tunneling.disabledSchemes=\"\")"),
    POP3_TRACE("OAM229", OTHER, null),
    CREDENTIAL_EXPIRES_SOON("OAM119", OTHER, f -> "create the next credential and put it into its key (read again "
            + "without a restart)"),
    CREDENTIAL_RELOADED("OAM120", OTHER, null),
    CREDENTIAL_RELOAD_INVALID("OAM121", OTHER, f -> "fix the keys the message lists; the credentials in use are kept"),
    REFRESH_TOKEN_FILE_UNWRITABLE("OAM122", OTHER, f -> "check " + f.key("refresh-token-file")
            + " and its folder's permissions"),
    AUDIT_CREDENTIAL_RELOADED("OAM408", OTHER, null),
    HEALTH_CREDENTIAL_EXPIRING("OAM434", OTHER, f -> "replace the credential before it expires"),
    GRAPH_TRACE("OAM600", OTHER, null),
    GRAPH_TOKEN_REJECTED_RETRYING("OAM601", OTHER, null),
    GRAPH_AUTH_FAILED("OAM602", AUTH, f -> "Microsoft Graph did not accept a fresh token either: check that "
            + f.key("scope") + " is https://graph.microsoft.com/.default (or unset) and that the token is for "
            + f.tenant()),
    GRAPH_ACCESS_DENIED("OAM603", AUTH, f -> "grant the app registration " + f.clientId() + " the Microsoft Graph "
            + "application permission Mail.Send with admin consent, and allow it mailbox " + f.mailbox()
            + " with RBAC for Applications (New-ManagementScope, New-ManagementRoleAssignment -Role \"Application "
            + "Mail.Send\"); changes can take up to an hour"),
    GRAPH_THROTTLED("OAM604", FailureKind.THROTTLED, f -> "Microsoft Graph throttled mailbox " + f.mailbox() + " (429/503) for "
            + "longer than " + f.key("send-deadline-ms") + ": send less in parallel or spread the load over mailboxes"),
    GRAPH_MESSAGE_REJECTED("OAM605", OTHER, f -> "Microsoft Graph refused this message permanently (the Graph error "
            + "code says why, e.g. ErrorInvalidRecipients, ErrorMessageSizeExceeded, ErrorSendAsDenied); it was not "
            + "sent and is not retried"),
    GRAPH_DELIVERY_UNKNOWN("OAM606", OTHER, f -> "the request reached Microsoft Graph but no answer came: the message "
            + "may or may not have been sent (not resent, to avoid duplicates); check the mailbox's Sent Items"),
    GRAPH_UNREACHABLE("OAM607", CONNECTION, f -> "Microsoft Graph cannot be reached: check " + f.key("graph-endpoint")
            + ", the network path, proxy, DNS and " + f.key("trust-store-path")),
    GRAPH_MESSAGE_TOO_LARGE("OAM608", OTHER, f -> "Microsoft Graph takes at most 4 MB per request (the MIME message, "
            + "base64 encoded): with " + f.key("graph-draft-route") + "=true and the application permission "
            + "Mail.ReadWrite, attachments of 3 to 150 MB are uploaded to a draft (the rest of the message must fit in "
            + "4 MB); otherwise send a smaller message or use " + f.key("send-via") + "=smtp"),
    GRAPH_RECIPIENTS_NEED_DRAFT("OAM609", OTHER, f -> "MIME sendMail delivers only to the To/Cc headers: to deliver "
            + "to Bcc or envelope-only recipients set " + f.key("graph-draft-route") + "=true and grant the "
            + "application permission Mail.ReadWrite (drafts), or set " + f.key("graph-save-to-sent-items") + "=false (Graph's "
            + "JSON form carries them as Bcc; no copy in Sent Items), or send such messages with " + f.key("send-via")
            + "=smtp"),
    GRAPH_SERVER_ERROR("OAM610", CONNECTION, f -> "Microsoft Graph answered a step before the send with a server "
            + "error (or an unusable answer); the message was not sent; try again later"),
    GRAPH_UPLOAD_FAILED("OAM611", CONNECTION, f -> "an attachment upload session of a large message failed (the chunk "
            + "was refused, or the session's answer was not what Microsoft documents); nothing was sent and the draft is "
            + "deleted (OAM613; OAM612 when that failed too); try again later"),
    GRAPH_DRAFT_NOT_DELETED("OAM612", OTHER, f -> "a draft of a message that failed could not be deleted: delete the "
            + "draft the message names from the Drafts folder of mailbox " + f.mailbox() + " (it was not sent)"),
    GRAPH_DRAFT_DELETED("OAM613", OTHER, null),
    GRAPH_JSON_UNMAPPABLE("OAM614", OTHER, f -> "with " + f.key("graph-save-to-sent-items") + "=false the message "
            + "goes in Microsoft Graph's JSON form, which cannot carry it as built (the message names what: a header "
            + "or part it has no field for, or over 4 MB as JSON); nothing was sent: send such messages with "
            + f.key("graph-save-to-sent-items") + "=true (MIME, a copy stays in Sent Items) or " + f.key("send-via")
            + "=smtp");

    private static final Map<String, MessageId> BY_ID = new HashMap<>();

    static {
        for (MessageId m : values()) {
            if (BY_ID.put(m.id, m) != null) {
                throw new ExceptionInInitializerError("duplicate message ID " + m.id);
            }
        }
    }

    private final String id;
    private final FailureKind kind;
    private final Function<Facts, String> advice;

    MessageId(String id, FailureKind kind, Function<Facts, String> advice) {
        this.id = id;
        this.kind = kind;
        this.advice = advice;
    }

    /** e.g. {@code OAM206}. */
    public String id() {
        return id;
    }

    /** What a failure with this ID is about ({@link FailureKind#OTHER} for log lines that report no failure). */
    public FailureKind kind() {
        return kind;
    }

    /** The advice for this ID alone, naming keys of {@code facts}; null when the message itself says it all. */
    String advice(Facts facts) {
        return advice == null ? null : advice.apply(facts);
    }

    /** {@code id} followed by a space and {@code text}: how every message with this ID starts. */
    public String message(String text) {
        return id + " " + text;
    }

    /** The constant for {@code id} (e.g. {@code OAM206}), or null. */
    public static MessageId of(String id) {
        return BY_ID.get(id);
    }

    @Override
    public String toString() {
        return id;
    }
}
