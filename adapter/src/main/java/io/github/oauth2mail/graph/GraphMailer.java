package io.github.oauth2mail.graph;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.TokenProvider;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

/**
 * Sends messages through Microsoft Graph for one connector resource ({@code send-via=graph}): the message exactly as
 * the application built it (MIME, base64, {@code Content-Type: text/plain}) with {@code POST
 * /v1.0/users/{mailbox}/sendMail} (permission {@code Mail.Send}). MIME sendMail delivers to the To and Cc headers only,
 * so a send with Bcc or other envelope-only recipients goes, when {@code graph-draft-route=true}, through a draft:
 * {@code POST /users/{mailbox}/messages} (the same MIME), {@code PATCH} its {@code bccRecipients}, {@code POST
 * .../send} (needs {@code Mail.ReadWrite}); otherwise it is refused, never sent to fewer recipients than asked.
 * Messages over Graph's 4 MB request limit are refused ({@code OAM608}). One shared HTTP client per resource.
 */
public final class GraphMailer {

    /** Waits {@code millis}; false when interrupted (flag kept). Real: {@link #sleep()}; fake in tests. */
    public interface Pause {
        boolean pause(long millis);
    }

    private final ConnectorSettings settings;
    private final GraphCalls calls;
    private final MailboxPermits permits = new MailboxPermits();

    private GraphMailer(ConnectorSettings settings, GraphHttp http, TokenProvider tokens, Clock clock,
                        Pause pause) {
        this.settings = settings;
        this.calls = new GraphCalls(settings, http, tokens, permits, clock, pause);
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
        if (!r.envelopeOnly().isEmpty() && !settings.graphDraftRoute()) {
            throw calls.failures().failure(MessageId.GRAPH_RECIPIENTS_NEED_DRAFT, mailbox, "This message has "
                    + r.envelopeOnly().size() + " Bcc or envelope-only recipient(s), which Microsoft Graph's MIME "
                    + "sendMail cannot carry; not sent", null, null);
        }
        String mime = GraphMime.base64(message, calls.failures(), mailbox);
        GraphCalls.Send send = new GraphCalls.Send(mailbox, calls.clock().millis() + settings.sendDeadline().toMillis());
        if (r.envelopeOnly().isEmpty()) {
            calls.call(send, "POST", uri(mailbox, "/sendMail"), "text/plain", mime, 202, true);
            return;
        }
        GraphHttp.Answer draft = calls.call(send, "POST", uri(mailbox, "/messages"), "text/plain", mime, 201, false);
        String id = draftId(draft, mailbox);
        String path = "/messages/" + segment(id);
        calls.call(send, "PATCH", uri(mailbox, path), "application/json", bcc(r.envelopeOnly()), 200, false);
        calls.call(send, "POST", uri(mailbox, path + "/send"), null, null, 202, true);
    }

    private String draftId(GraphHttp.Answer draft, String mailbox) throws MessagingException {
        try {
            String id = JSONObjectUtils.getString(JSONObjectUtils.parse(draft.body()), "id");
            if (id != null && !id.isBlank()) {
                return id;
            }
        } catch (ParseException e) {
            // reported below
        }
        throw calls.failures().failure(MessageId.GRAPH_SERVER_ERROR, mailbox, "Microsoft Graph created a draft but "
                + "its answer has no message id; the message was not sent", draft, null);
    }

    private static String bcc(List<String> addresses) {
        JSONArray list = new JSONArray();
        for (String a : addresses) {
            JSONObject email = new JSONObject();
            email.put("address", a);
            JSONObject recipient = new JSONObject();
            recipient.put("emailAddress", email);
            list.add(recipient);
        }
        JSONObject patch = new JSONObject();
        patch.put("bccRecipients", list);
        return patch.toJSONString();
    }

    private URI uri(String mailbox, String rest) {
        return URI.create(settings.graphEndpoint() + "/v1.0/users/" + segment(mailbox) + rest);
    }

    /** A path segment: percent-encoded, {@code @} kept as Graph's documentation writes user principal names. */
    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }

    /** Graph request slots in use for {@code mailbox} (for tests and metrics). */
    public int requestsInFlight(String mailbox) {
        return permits.inUse(mailbox);
    }
}
