package io.github.oauth2mail.graph;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

/**
 * The draft route (needs {@code Mail.ReadWrite}): {@code POST /users/{mailbox}/messages} with the MIME, then {@code
 * PATCH} its {@code bccRecipients} when the send has envelope-only recipients, then for each large attachment an
 * upload session ({@code POST .../attachments/createUploadSession}) and its decoded bytes {@code PUT} in chunks of at
 * most {@link #CHUNK} bytes to the session's pre-authenticated URL, then {@code POST .../send}. When a step before the
 * send fails, or the send is refused for certain, the draft is deleted (best effort, one attempt) so no half-built
 * draft stays behind; after a send request whose answer was lost nothing is deleted or resent. At most one chunk
 * ({@code 4 MB}) of an attachment is in memory at a time.
 */
final class GraphDraft {

    private static final Logger LOG = Logger.getLogger(GraphDraft.class.getName());

    /** Upload sessions take at most 4 MB per {@code PUT}. */
    static final int CHUNK = 4 * 1024 * 1024;

    private final GraphCalls calls;
    private final Uris uris;

    /** {@code {graph-endpoint}/v1.0/users/{mailbox}} + {@code rest}. */
    interface Uris {
        URI of(String mailbox, String rest);
    }

    GraphDraft(GraphCalls calls, Uris uris) {
        this.calls = calls;
        this.uris = uris;
    }

    void send(GraphCalls.Send send, String mime, List<String> bcc, List<GraphParts.Large> large)
            throws MessagingException {
        GraphHttp.Answer draft = calls.call(send, "POST", uris.of(send.mailbox, "/messages"), "text/plain", mime,
                201, false);
        String path = "/messages/" + GraphMailer.segment(draftId(draft, send.mailbox));
        try {
            if (!bcc.isEmpty()) {
                calls.call(send, "PATCH", uris.of(send.mailbox, path), "application/json", bccJson(bcc), 200, false);
            }
            for (GraphParts.Large a : large) {
                upload(send, path, a);
            }
            calls.call(send, "POST", uris.of(send.mailbox, path + "/send"), null, null, 202, true);
        } catch (MessagingException | RuntimeException | Error e) {
            if (!(e instanceof MailFailure && ((MailFailure) e).messageId() == MessageId.GRAPH_DELIVERY_UNKNOWN)) {
                delete(send.mailbox, path);
            }
            throw e;
        }
    }

    private void upload(GraphCalls.Send send, String path, GraphParts.Large a) throws MessagingException {
        URI create = uris.of(send.mailbox, path + "/attachments/createUploadSession");
        GraphHttp.Answer session = calls.call(send, "POST", create, "application/json", attachmentItem(a), 201, false);
        URI url = uploadUrl(session, send.mailbox);
        byte[] chunk = new byte[(int) Math.min(CHUNK, a.size())];
        try (InputStream in = a.part().getInputStream()) {
            long start = 0;
            while (start < a.size()) {
                int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, a.size() - start));
                if (n == 0) {
                    throw changed(send.mailbox, a);
                }
                GraphHttp.Answer r = calls.upload(send, url, chunk, n, start, a.size());
                start += n;
                if (start < a.size() && nextExpected(r) != start) {
                    throw calls.failures().failure(MessageId.GRAPH_UPLOAD_FAILED, send.mailbox, "The upload session "
                            + "for attachment " + a.name() + " expects the next chunk at another byte than " + start,
                            r, null);
                }
            }
            if (in.read() != -1) {
                throw changed(send.mailbox, a);
            }
        } catch (IOException e) {
            throw new AdapterMessagingException(MessageId.SMTP_MESSAGE_UNWRITABLE, "The attachment " + a.name()
                    + " could not be read for Microsoft Graph: " + e.getMessage(), e);
        }
    }

    private AdapterMessagingException changed(String mailbox, GraphParts.Large a) {
        return new AdapterMessagingException(MessageId.SMTP_MESSAGE_UNWRITABLE, "The attachment " + a.name() + " of "
                + "mailbox " + mailbox + "'s message changed size while it was sent (" + a.size() + " bytes "
                + "announced); not sent");
    }

    /** One attempt to delete the draft; a failure is logged ({@code OAM612}), never thrown over the first error. */
    private void delete(String mailbox, String path) {
        try {
            calls.call(new GraphCalls.Send(mailbox, calls.clock().millis()), "DELETE", uris.of(mailbox, path),
                    null, null, 204, false);
            LOG.log(Level.INFO, "OAM613 Deleted the draft {0} of a failed Microsoft Graph send for mailbox {1}; "
                    + "nothing was sent", new Object[] {path, mailbox});
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.WARNING, "OAM612 The draft {0} of a failed send for mailbox {1} could not be deleted ({2}); "
                    + "it was not sent: delete it from the mailbox's Drafts folder", new Object[] {path, mailbox,
                    e instanceof MailFailure ? ((MailFailure) e).messageId().id() : e.getClass().getSimpleName()});
        }
    }

    private static String attachmentItem(GraphParts.Large a) {
        JSONObject item = new JSONObject();
        item.put("attachmentType", "file");
        item.put("name", a.name());
        item.put("size", a.size());
        item.put("contentType", a.contentType());
        item.put("isInline", a.inline());
        if (a.contentId() != null) {
            item.put("contentId", a.contentId());
        }
        JSONObject body = new JSONObject();
        body.put("AttachmentItem", item);
        return body.toJSONString();
    }

    private URI uploadUrl(GraphHttp.Answer session, String mailbox) throws MessagingException {
        try {
            URI url = URI.create(JSONObjectUtils.getString(JSONObjectUtils.parse(session.body()), "uploadUrl"));
            if ("https".equals(url.getScheme()) && url.getHost() != null) {
                return url;
            }
        } catch (ParseException | IllegalArgumentException | NullPointerException e) {
            // reported below
        }
        throw calls.failures().failure(MessageId.GRAPH_UPLOAD_FAILED, mailbox, "Microsoft Graph created an upload "
                + "session without an https uploadUrl", session, null);
    }

    /** The first {@code nextExpectedRanges} entry's start ({@code "4194304"} or {@code "4194304-"}), or -1. */
    static long nextExpected(GraphHttp.Answer a) {
        try {
            JSONArray ranges = (JSONArray) JSONObjectUtils.parse(a.body()).get("nextExpectedRanges");
            String first = String.valueOf(ranges.get(0));
            int dash = first.indexOf('-');
            return Long.parseLong(dash < 0 ? first : first.substring(0, dash));
        } catch (ParseException | RuntimeException e) {
            return -1;
        }
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

    private static String bccJson(List<String> addresses) {
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
}
