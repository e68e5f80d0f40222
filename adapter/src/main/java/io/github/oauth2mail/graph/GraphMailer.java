package io.github.oauth2mail.graph;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.TokenProvider;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Sends messages through Microsoft Graph for one connector resource ({@code send-via=graph}): the message exactly as
 * the application built it (MIME, base64, {@code Content-Type: text/plain}) with {@code POST
 * /v1.0/users/{mailbox}/sendMail} (permission {@code Mail.Send}). MIME sendMail delivers to the To and Cc headers only,
 * so a send with Bcc or other envelope-only recipients goes, when {@code graph-draft-route=true}, through a draft:
 * {@code POST /users/{mailbox}/messages} (the same MIME), {@code PATCH} its {@code bccRecipients}, {@code POST
 * .../send} (needs {@code Mail.ReadWrite}); otherwise it is refused, never sent to fewer recipients than asked.
 * A message over Graph's 4 MB request limit goes, with {@code graph-draft-route=true}, through the same draft with
 * its attachments of 3 MB and more uploaded separately ({@link GraphDraft}); otherwise it is refused ({@code
 * OAM608}). With {@code graph-save-to-sent-items=false} every message goes in the JSON form instead
 * ({@link GraphJsonMessage}), the only one that can keep it out of Sent Items. One shared HTTP client per resource.
 */
public final class GraphMailer {

    /** Waits {@code millis}; false when interrupted (flag kept). Real: {@link #sleep()}; fake in tests. */
    public interface Pause {
        boolean pause(long millis);
    }

    private final ConnectorSettings settings;
    private final GraphHttp http;
    private final GraphCalls calls;
    private final MailboxPermits permits = new MailboxPermits();
    private final GraphDraft draft;

    private GraphMailer(ConnectorSettings settings, GraphHttp http, TokenProvider tokens, Clock clock,
                        Pause pause) {
        this.settings = settings;
        this.http = http;
        this.calls = new GraphCalls(settings, http, tokens, permits, clock, pause);
        this.draft = new GraphDraft(calls, this::uri);
    }

    /**
     * The mailer of a resource in Graph mode.
     *
     * @param ssl   the resource's TLS context (its trust store)
     * @param clock the clock of send deadlines; {@code pause} waits out {@code Retry-After} (fake in tests)
     */
    public static GraphMailer create(ConnectorSettings settings, SSLContext ssl, TokenProvider tokens, Clock clock,
                                     Pause pause) {
        return new GraphMailer(settings, new GraphHttp(ssl, settings.connectTimeout(), settings.readTimeout()), tokens,
                clock, pause);
    }

    /** The real pause: {@code Thread.sleep}, false when interrupted. */
    public static Pause sleep() {
        return millis -> {
            try {
                Thread.sleep(millis);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /** Sends {@code message} as {@code mailbox} to exactly {@code recipients}; returns when Graph accepted it. */
    public void send(String mailbox, Message message, Address[] recipients) throws MessagingException {
        GraphRecipients r = GraphRecipients.of(message, recipients);
        if (!r.headerOnlyAddresses().isEmpty()) {
            throw calls.failures().failure(MessageId.GRAPH_RECIPIENTS_NEED_DRAFT, mailbox, "Microsoft Graph sends to "
                    + "every To/Cc address of the message, but this send names only some of them ("
                    + r.headerOnlyAddresses().size() + " not named); not sent", null, null);
        }
        if (!settings.graphSaveToSentItems()) {
            sendJson(mailbox, message, r);
            return;
        }
        if (!r.envelopeOnly().isEmpty() && !settings.graphDraftRoute()) {
            throw calls.failures().failure(MessageId.GRAPH_RECIPIENTS_NEED_DRAFT, mailbox, "This message has "
                    + r.envelopeOnly().size() + " Bcc or envelope-only recipient(s), which Microsoft Graph's MIME "
                    + "sendMail cannot carry; not sent", null, null);
        }
        GraphCalls.Send send = new GraphCalls.Send(mailbox, calls.clock().millis() + settings.sendDeadline().toMillis());
        String mime = GraphMime.base64OrNull(message, Set.of());
        if (mime == null) {
            large(send, message, r);
        } else if (r.envelopeOnly().isEmpty()) {
            calls.call(send, "POST", uri(mailbox, "/sendMail"), "text/plain", mime, 202, true);
        } else {
            draft.send(send, mime, r.envelopeOnly(), List.of());
        }
    }

    /**
     * {@code graph-save-to-sent-items=false}: the JSON form with {@code saveToSentItems=false}, envelope-only
     * recipients as {@code bccRecipients} (no draft: a draft's send always keeps a copy); a message that form cannot
     * carry is refused ({@code OAM614}), never sent another way.
     */
    private void sendJson(String mailbox, Message message, GraphRecipients r) throws MessagingException {
        String json;
        try {
            json = GraphJsonMessage.request(message, r.envelopeOnly());
        } catch (GraphJsonMessage.Unmappable e) {
            throw calls.failures().failure(MessageId.GRAPH_JSON_UNMAPPABLE, mailbox, "With "
                    + settings.key(Setting.GRAPH_SAVE_TO_SENT_ITEMS) + "=false the message goes in Microsoft Graph's "
                    + "JSON form, which cannot carry " + e.getMessage() + "; not sent", null, null);
        } catch (IOException e) {
            throw unreadable(e);
        }
        GraphCalls.Send send = new GraphCalls.Send(mailbox, calls.clock().millis() + settings.sendDeadline().toMillis());
        calls.call(send, "POST", uri(mailbox, "/sendMail"), "application/json", json, 202, true);
    }

    private static AdapterMessagingException unreadable(IOException e) {
        return new AdapterMessagingException(MessageId.SMTP_MESSAGE_UNWRITABLE, "The message could not be read for "
                + "Microsoft Graph: " + e.getMessage(), e);
    }

    /** A message over the request limit: its attachments of 3 MB and more go through upload sessions, if allowed. */
    private void large(GraphCalls.Send send, Message message, GraphRecipients r) throws MessagingException {
        String why;
        if (!settings.graphDraftRoute()) {
            why = "; attachments are uploaded separately only with " + settings.key(Setting.GRAPH_DRAFT_ROUTE) + "=true";
        } else {
            List<GraphParts.Large> large;
            try {
                large = GraphParts.of(message);
            } catch (IOException e) {
                throw unreadable(e);
            }
            String rest = GraphMime.base64OrNull(message, GraphParts.parts(large));
            GraphParts.Large over = large.stream().filter(a -> a.size() > GraphParts.MAX_UPLOAD).findFirst().orElse(null);
            if (over != null) {
                why = "; attachment " + over.name() + " has " + over.size() + " bytes, over the upload session limit "
                        + "of " + GraphParts.MAX_UPLOAD + " bytes";
            } else if (rest == null) {
                why = " even without its " + large.size() + " attachment(s) of " + GraphParts.MIN_UPLOAD
                        + " bytes or more";
            } else {
                draft.send(send, rest, r.envelopeOnly(), large);
                return;
            }
        }
        throw calls.failures().failure(MessageId.GRAPH_MESSAGE_TOO_LARGE, send.mailbox, "The message is larger than "
                + GraphMime.MAX_MIME + " bytes of MIME, which is over Microsoft Graph's request limit of "
                + GraphMime.MAX_REQUEST + " bytes once base64 encoded" + why + "; not sent", null, null);
    }

    private URI uri(String mailbox, String rest) {
        return URI.create(settings.graphEndpoint() + "/v1.0/users/" + segment(mailbox) + rest);
    }

    /** A path segment: percent-encoded, {@code @} kept as Graph's documentation writes user principal names. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }

    /**
     * An unauthenticated {@code GET <graph-endpoint>/v1.0/} on this mailer's client (the diagnostic command): the HTTP
     * status of any answer, which proves the network path, TLS and the endpoint's certificate.
     *
     * @throws IOException the endpoint cannot be reached (connect, TLS, timeout)
     */
    public int probe() throws java.io.IOException, InterruptedException {
        return http.send(http.probe(URI.create(settings.graphEndpoint() + "/v1.0/"))).status();
    }

    /** Graph request slots in use for {@code mailbox} (for tests and metrics). */
    public int requestsInFlight(String mailbox) {
        return permits.inUse(mailbox);
    }
}
