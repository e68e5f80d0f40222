package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.token.TokenEvent;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The audit trail of a connector resource: one line per token event and per authentication failure at a mail server,
 * on logger {@value #LOGGER} (route it to its own file in the server's logging configuration). Each line has a stable
 * message ID and {@code key=value} fields: connector, tenant, client, mailbox, credential, error code, correlation id.
 * Never a secret or a token.
 * <pre>
 * OAM401 token acquired      connector=office365 tenant=... client=... mailbox=... credential=client-secret expiresAt=...
 * OAM402 token refreshed     ...
 * OAM403 token request failed ... kind=PERMANENT code=AADSTS7000215 correlationId=...
 * OAM404 token invalidated   ... (a mail server rejected it; a fresh one is fetched)
 * OAM405 credential switched ... code=AADSTS7000222 (the secondary credential is used from now on)
 * OAM408 credential reloaded  ... credential=client-secret (changed in the configuration; used from now on, no restart)
 * OAM406 mail server authentication failed ... server=smtp.office365.com:587 code=535 5.7.3
 * OAM406 mail server authentication failed ... protocol=IMAP server=outlook.office365.com:993 code=401
 * OAM406 mail server authentication failed ... protocol=Graph server=https://graph.microsoft.com code=HTTP 403 ErrorAccessDenied
 * OAM407 send refused permanently ... server=smtp.office365.com:587 id=OAM209 code=550 5.7.1
 * </pre>
 */
public final class AuditLog implements TokenListener {

    /** The audit logger's name. */
    public static final String LOGGER = "io.github.oauth2mail.audit";
    private static final Logger LOG = Logger.getLogger(LOGGER);

    private final ConnectorSettings settings;

    public AuditLog(ConnectorSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onEvent(TokenEvent e) {
        String who = who(e.mailbox() != null ? e.mailbox() : settings.mailbox()) + " credential=" + e.credential();
        switch (e.type()) {
            case ACQUIRED:
                LOG.info("OAM401 token acquired " + who + " expiresAt=" + e.expiresAt());
                break;
            case REFRESHED:
                LOG.info("OAM402 token refreshed " + who + " expiresAt=" + e.expiresAt());
                break;
            case FAILED:
                LOG.log(e.error() != null && e.error().isPermanent() ? Level.SEVERE : Level.WARNING,
                        "OAM403 token request failed " + who + error(e.error()));
                break;
            case INVALIDATED:
                LOG.warning("OAM404 token invalidated " + who + " reason=rejected-by-mail-server");
                break;
            case CREDENTIAL_SWITCHED:
                LOG.warning("OAM405 credential switched " + who + error(e.error()));
                break;
            case CREDENTIAL_RELOADED:
                LOG.warning("OAM408 credential reloaded " + who + " reason=changed-in-configuration");
                break;
            default:
                LOG.info("OAM400 token event " + e.type() + " " + who);
        }
    }

    /** A mail server (or Microsoft Graph, {@code send-via=graph}) did not accept the token (or refused AUTH). */
    void authenticationFailed(String mailbox, Throwable e) {
        String code = KnownFailures.code(e);
        MailFailure f = MailFailure.in(e);
        if (code == null && f != null) {
            code = f.serverReply(); // Graph: HTTP 403 ErrorAccessDenied
        }
        LOG.warning("OAM406 mail server authentication failed " + who(mailbox)
                + (graph(settings) ? " protocol=Graph" : "") + " server=" + submissionServer(settings) + " code=" + code);
    }

    /** Where this resource's sends go: {@code smtp.host:port}, or the Graph endpoint with {@code send-via=graph}. */
    public static String submissionServer(ConnectorSettings s) {
        return graph(s) ? s.graphEndpoint().toString() : s.smtpHost() + ":" + s.smtpPort();
    }

    private static boolean graph(ConnectorSettings s) {
        return s.sendVia() == ConnectorSettings.SendVia.GRAPH;
    }

    /** The mail server refused a send permanently (5xx): counted per mailbox; repeated ones get a mailbox blocked. */
    void permanentRefusal(String mailbox, String id, String code) {
        LOG.warning("OAM407 send refused permanently " + who(mailbox) + " server=" + submissionServer(settings)
                + " id=" + id + " code=" + code);
    }

    /** An IMAP/POP3 server did not accept the token, nor a freshly fetched one. */
    void storeAuthenticationFailed(String protocol, String mailbox, String server, String code) {
        LOG.warning("OAM406 mail server authentication failed " + who(mailbox) + " protocol=" + protocol + " server="
                + server + " code=" + code);
    }

    private String who(String mailbox) {
        return "connector=" + settings.name() + " tenant=" + settings.tenantId() + " client=" + settings.clientId()
                + " mailbox=" + mailbox;
    }

    private static String error(TokenException t) {
        if (t == null) {
            return "";
        }
        return " kind=" + t.kind() + " code=" + t.errorCode() + " correlationId=" + t.correlationId();
    }
}
