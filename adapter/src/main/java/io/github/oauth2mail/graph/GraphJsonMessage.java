package io.github.oauth2mail.graph;

import jakarta.mail.Address;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

/**
 * A message in Microsoft Graph's JSON form of {@code POST /users/{id}/sendMail}, {@code {"message": {...},
 * "saveToSentItems": false}}: the only form that can say "no copy in Sent Items". Mapped from the MIME message as the
 * application built it: Subject, From, Sender, Reply-To, To and Cc as they are, the envelope-only recipients (Bcc and
 * {@code Transport.send(msg, addresses)}) as {@code bccRecipients}, the body (HTML preferred over its plain-text
 * alternative, which Exchange derives again), every attachment as a {@code fileAttachment} (inline parts with their
 * Content-ID), Importance / X-Priority / Priority as {@code importance}, and at most {@link #MAX_HEADERS} {@code X-}
 * headers as {@code internetMessageHeaders} (Graph takes only {@code x-} names there). Date, Message-ID and the MIME
 * structure headers are set by Exchange. Anything else (another header, a part the form has no field for, more than
 * 4 MB as JSON) is {@link Unmappable}: the caller refuses the message rather than send less than the app built.
 * The request is ASCII (every other character escaped as {@code \\uXXXX}); its size is checked before and after it
 * is built, and attachment bytes are read at most up to the request limit.
 */
final class GraphJsonMessage {

    /** Graph refuses more {@code internetMessageHeaders} than this ({@code InvalidInternetMessageHeaderCollection}). */
    static final int MAX_HEADERS = 5;

    /** Headers Exchange writes itself when it sends the JSON form. */
    private static final Set<String> REGENERATED = Set.of("date", "message-id", "mime-version", "content-type",
            "content-transfer-encoding");
    /** Headers mapped to message properties. */
    private static final Set<String> MAPPED = Set.of("from", "sender", "reply-to", "to", "cc", "bcc", "subject",
            "importance", "x-priority", "priority");

    /** The message cannot be carried by the JSON form as built; the text says what (no content, no address). */
    static final class Unmappable extends Exception {
        private static final long serialVersionUID = 1L;

        Unmappable(String what) {
            super(what);
        }
    }

    private final JSONObject message = new JSONObject();
    private final JSONArray attachments = new JSONArray();
    private long bytes;

    private GraphJsonMessage() {
    }

    /** The request body for {@code message} sent to its To/Cc plus {@code bcc}, not saved in Sent Items. */
    static String request(Message message, List<String> bcc) throws MessagingException, IOException, Unmappable {
        if (!(message instanceof MimeMessage)) {
            throw new Unmappable("a " + message.getClass().getSimpleName() + " that is not a MIME message");
        }
        GraphJsonMessage j = new GraphJsonMessage();
        MimeMessage m = (MimeMessage) message;
        j.headers(m, bcc);
        j.content(m);
        if (!j.attachments.isEmpty()) {
            j.message.put("attachments", j.attachments);
        }
        JSONObject request = new JSONObject();
        request.put("message", j.message);
        request.put("saveToSentItems", false);
        String json = ascii(request.toJSONString());
        if (json.length() > GraphMime.MAX_REQUEST) {
            throw tooLarge(json.length());
        }
        return json;
    }

    private void headers(MimeMessage m, List<String> bcc) throws MessagingException, Unmappable {
        JSONArray custom = new JSONArray();
        for (Enumeration<Header> e = m.getAllHeaders(); e.hasMoreElements(); ) {
            Header h = e.nextElement();
            String name = h.getName().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-") && !name.equals("x-priority")) {
                JSONObject x = new JSONObject();
                x.put("name", h.getName());
                x.put("value", decoded(MimeUtility.unfold(h.getValue())));
                custom.add(x);
            } else if (!REGENERATED.contains(name) && !MAPPED.contains(name)) {
                throw new Unmappable("header " + h.getName() + " (the JSON form takes only X- headers besides the "
                        + "addresses, Subject and priority)");
            }
        }
        if (custom.size() > MAX_HEADERS) {
            throw new Unmappable(custom.size() + " X- headers (Microsoft Graph takes at most " + MAX_HEADERS + ")");
        }
        if (!custom.isEmpty()) {
            message.put("internetMessageHeaders", custom);
        }
        Address[] from = m.getFrom();
        if (m.getHeader("From") != null && from != null && from.length > 1) {
            throw new Unmappable("a From header with " + from.length + " addresses");
        }
        if (m.getHeader("From") != null && from != null && from.length == 1) {
            message.put("from", GraphJsonParts.recipient(from[0]));
        }
        if (m.getHeader("Sender") != null) {
            message.put("sender", GraphJsonParts.recipient(m.getSender()));
        }
        recipients("replyTo", m.getHeader("Reply-To") == null ? null : m.getReplyTo());
        recipients("toRecipients", m.getRecipients(Message.RecipientType.TO));
        recipients("ccRecipients", m.getRecipients(Message.RecipientType.CC));
        Address[] hidden = new Address[bcc.size()];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = new InternetAddress(bcc.get(i), false);
        }
        recipients("bccRecipients", hidden);
        if (m.getSubject() != null) {
            message.put("subject", m.getSubject());
        }
        String importance = GraphJsonParts.importance(m);
        if (importance != null) {
            message.put("importance", importance);
        }
    }

    private void recipients(String property, Address[] addresses) throws Unmappable {
        if (addresses == null || addresses.length == 0) {
            return;
        }
        JSONArray list = new JSONArray();
        for (Address a : addresses) {
            list.add(GraphJsonParts.recipient(a));
        }
        message.put(property, list);
    }

    /** The message's content: a text or HTML body, alternative/related, or mixed with attachments. */
    private void content(MimeMessage m) throws MessagingException, IOException, Unmappable {
        if (m.isMimeType("multipart/mixed")) {
            Multipart mp = (Multipart) m.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                Part p = mp.getBodyPart(i);
                if (i == 0 && !GraphParts.attachment(p)) {
                    body(p);
                } else if (!p.isMimeType("multipart/*") && GraphParts.attachment(p)) {
                    attachment(p, false);
                } else {
                    throw new Unmappable("part " + (i + 1) + " (" + GraphJsonParts.baseType(p) + ") of the "
                            + "multipart/mixed message is neither its body nor an attachment");
                }
            }
        } else {
            body(m);
        }
    }

    /** A body: text/plain, text/html, multipart/alternative of those (HTML preferred) or multipart/related. */
    private void body(Part p) throws MessagingException, IOException, Unmappable {
        if ((p.isMimeType("text/plain") || p.isMimeType("text/html")) && !GraphParts.attachment(p)) {
            Object text = GraphJsonParts.text(p);
            JSONObject body = new JSONObject();
            body.put("contentType", p.isMimeType("text/html") ? "html" : "text");
            body.put("content", text);
            bytes += ((String) text).length();
            message.put("body", body);
        } else if (p.isMimeType("multipart/alternative")) {
            body(GraphJsonParts.preferred((Multipart) p.getContent()));
        } else if (p.isMimeType("multipart/related")) {
            Multipart mp = (Multipart) p.getContent();
            if (new ContentType(p.getContentType()).getParameter("start") != null) {
                throw new Unmappable("a multipart/related with a start parameter");
            }
            body(mp.getBodyPart(0));
            for (int i = 1; i < mp.getCount(); i++) {
                Part inline = mp.getBodyPart(i);
                if (inline.isMimeType("multipart/*")) {
                    throw new Unmappable("a " + GraphJsonParts.baseType(inline) + " inside multipart/related");
                }
                attachment(inline, true);
            }
        } else {
            throw new Unmappable("a body of " + GraphJsonParts.baseType(p));
        }
    }

    private void attachment(Part p, boolean inline) throws MessagingException, IOException, Unmappable {
        long room = GraphMime.MAX_MIME - bytes;
        byte[] content;
        try (InputStream in = p.getInputStream()) {
            content = in.readNBytes((int) Math.max(0, room) + 1);
        }
        bytes += content.length;
        if (bytes > GraphMime.MAX_MIME) {
            throw tooLarge(bytes / 3 * 4);
        }
        JSONObject a = new JSONObject();
        a.put("@odata.type", "#microsoft.graph.fileAttachment");
        a.put("name", GraphParts.name(p));
        a.put("contentType", GraphJsonParts.baseType(p));
        a.put("contentBytes", Base64.getEncoder().encodeToString(content));
        String cid = p instanceof MimePart ? ((MimePart) p).getContentID() : null;
        a.put("isInline", inline || Part.INLINE.equalsIgnoreCase(p.getDisposition())
                || (p.getDisposition() == null && cid != null));
        if (cid != null) {
            a.put("contentId", GraphParts.strip(cid));
        }
        attachments.add(a);
    }

    private static Unmappable tooLarge(long size) {
        return new Unmappable("over Microsoft Graph's request limit of " + GraphMime.MAX_REQUEST + " bytes as JSON "
                + "(at least " + size + " bytes); the JSON form has no upload session");
    }

    private static String decoded(String value) {
        try {
            return MimeUtility.decodeText(value);
        } catch (UnsupportedEncodingException e) {
            return value;
        }
    }

    /** {@code json} with every character outside printable ASCII as a JSON {@code \\uXXXX} escape. */
    static String ascii(String json) {
        StringBuilder b = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c > 0x7e) {
                if (b == null) {
                    b = new StringBuilder(json.length() + 64).append(json, 0, i);
                }
                b.append(String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? json : b.toString();
    }
}
