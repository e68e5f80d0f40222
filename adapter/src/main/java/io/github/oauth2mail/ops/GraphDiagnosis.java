package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.failure.Advice;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.graph.GraphMailer;
import io.github.oauth2mail.token.TokenRefresher;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * The diagnostic command's steps for a resource with {@code send-via=graph}, after the access token: the token's scope
 * is Microsoft Graph's, the Graph endpoint answers over HTTPS (certificate trusted and naming the host, through the
 * JVM's proxy as the connector goes), and, with {@code --send-to}, a test message through the connector's own Graph
 * mailer ({@code POST /v1.0/users/{mailbox}/sendMail}), which is what proves that Graph accepts the token and the
 * {@code Mail.Send} permission. Failures print their message ID ({@code OAM6xx}), Graph's reply and the advice.
 */
final class GraphDiagnosis {

    private GraphDiagnosis() {
    }

    static void run(Report report, ConnectorSettings s, TokenRefresher tokens, boolean tokenOk, String sendTo) {
        checkScope(report, s);
        GraphMailer mailer;
        try {
            mailer = GraphMailer.create(s, TlsSupport.sslContext(s), tokens, Clock.systemUTC(), GraphMailer.sleep());
        } catch (RuntimeException e) {
            report.fail("Microsoft Graph endpoint " + s.graphEndpoint(), "cannot build the HTTPS client: " + e,
                    e.getClass().getSimpleName(), null, advice(s, MessageId.GRAPH_UNREACHABLE));
            return;
        }
        boolean reachable = checkEndpoint(report, s, mailer);
        String step = "test message to " + sendTo + " through Microsoft Graph";
        if (sendTo == null) {
            report.skip("Microsoft Graph sendMail", "give --send-to <address> to send a test message (the only check "
                    + "that Graph accepts the token and the Mail.Send permission for mailbox " + s.mailbox() + ")");
        } else if (!tokenOk) {
            report.skip(step, "needs an access token");
        } else if (!reachable) {
            report.skip(step, "needs a reachable Microsoft Graph endpoint");
        } else {
            sendTest(report, s, mailer, sendTo, step);
        }
    }

    /** With Entra, the token must be for the cloud's Graph resource; another provider's scope is shown as is. */
    private static void checkScope(Report report, ConnectorSettings s) {
        List<String> scopes = s.scopes();
        String graph = s.cloud().graphEndpoint();
        if (s.provider() == ConnectorSettings.Provider.ENTRA
                && scopes.stream().noneMatch(x -> x.startsWith(graph + "/"))) {
            report.fail("token scope", String.join(" ", scopes) + " is not Microsoft Graph's (" + graph
                    + "/.default): Graph will reject these tokens", MessageId.GRAPH_AUTH_FAILED.id(), null,
                    advice(s, MessageId.GRAPH_AUTH_FAILED));
            return;
        }
        report.ok("token scope", String.join(" ", scopes) + (s.provider() == ConnectorSettings.Provider.ENTRA
                ? " (Microsoft Graph)" : " (the identity provider must issue tokens that Microsoft Graph accepts)"));
    }

    /** Any HTTP answer to an unauthenticated {@code GET <endpoint>/v1.0/} means: reachable, TLS and identity fine. */
    private static boolean checkEndpoint(Report report, ConnectorSettings s, GraphMailer mailer) {
        String step = "Microsoft Graph endpoint " + s.graphEndpoint();
        try {
            int status = mailer.probe(); // the client the send uses: its trust store, timeouts and the JVM's proxy
            report.ok(step, "reachable over HTTPS, server certificate trusted and names "
                    + URI.create(s.graphEndpoint().toString()).getHost() + " (unauthenticated GET /v1.0/: HTTP "
                    + status + ")");
            return true;
        } catch (IOException e) {
            // the HTTP client's own exception (ConnectException, SSLHandshakeException, HttpConnectTimeoutException)
            report.fail(step, "not reachable over HTTPS: " + e, e.getClass().getSimpleName(), null,
                    advice(s, MessageId.GRAPH_UNREACHABLE));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.fail(step, "interrupted", null, null, null);
            return false;
        }
    }

    private static void sendTest(Report report, ConnectorSettings s, GraphMailer mailer, String sendTo, String step) {
        try {
            MimeMessage msg = Diagnose.testMessage(s, sendTo);
            mailer.send(s.mailbox(), msg, msg.getAllRecipients());
            report.ok(step, "accepted by Microsoft Graph (HTTP 202) for mailbox " + s.mailbox());
        } catch (MessagingException e) {
            MessageId id = KnownFailures.messageId(e);
            if (id == null || KnownFailures.classify(e) == FailureKind.TOKEN) {
                report.fail(step, e.getMessage(), KnownFailures.code(e), KnownFailures.correlationId(e),
                        KnownFailures.fix(s, e));
                return;
            }
            String reply = MailFailure.in(e).serverReply();
            report.fail(step, e.getMessage(), id.id() + (reply == null ? "" : " (" + reply + ")"), null,
                    advice(s, id));
        }
    }

    /** The advice of a Graph message ID (not the SMTP advice a failure kind would pick). */
    private static String advice(ConnectorSettings s, MessageId id) {
        return Advice.of(KnownFailures.facts(s), id, FailureKind.OTHER, -1, null, false);
    }
}
