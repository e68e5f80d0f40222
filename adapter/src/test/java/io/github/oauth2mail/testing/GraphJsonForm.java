package io.github.oauth2mail.testing;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

/**
 * The JSON form of {@code POST /users/{id}/sendMail} as the Graph emulator checks it (Microsoft's "user: sendMail",
 * "message", "recipient", "itemBody", "fileAttachment" and "internetMessageHeader" pages): {@code {"message": {...},
 * "saveToSentItems": <boolean>}} and nothing else; of the message only the writable properties below, each of its
 * documented type; {@code internetMessageHeaders} named {@code x-...}, at most 5 (Graph answers {@code
 * InvalidInternetMessageHeaderCollection}); attachments {@code #microsoft.graph.fileAttachment} with {@code name} and
 * base64 {@code contentBytes}; at least one recipient. What passes becomes the MIME message Exchange would deliver
 * (To/Cc in headers, Bcc only in the recipient list).
 */
final class GraphJsonForm {

    private static final Set<String> MESSAGE_KEYS = Set.of("subject", "body", "from", "sender", "toRecipients",
            "ccRecipients", "bccRecipients", "replyTo", "importance", "internetMessageHeaders", "attachments");
    private static final Set<String> ATTACHMENT_KEYS = Set.of("@odata.type", "name", "contentType", "contentBytes",
            "isInline", "contentId");

    /** A request Graph would refuse: status and Graph error code. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** An accepted JSON sendMail: the delivered message, its MIME, the Bcc addresses, and whether it is saved. */
    record Parsed(MimeMessage message, byte[] mime, List<String> bcc, boolean saveToSentItems) {
    }

    private GraphJsonForm() {
    }

    static Parsed parse(byte[] body) throws Refused {
        JSONObject o;
        try {
            o = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw bad("not JSON");
        }
        check(Set.of("message", "saveToSentItems").containsAll(o.keySet()), "unknown top-level property " + o.keySet());
        check(o.get("message") instanceof JSONObject, "message missing or not an object");
        Object save = o.get("saveToSentItems");
        check(save == null || save instanceof Boolean, "saveToSentItems is not a Boolean");
        JSONObject m = (JSONObject) o.get("message");
        check(MESSAGE_KEYS.containsAll(m.keySet()), "unknown message property in " + m.keySet());
        try {
            MimeMessage msg = new MimeMessage(Session.getInstance(new Properties()));
            if (m.containsKey("subject")) {
                msg.setSubject(string(m, "subject"), "UTF-8");
            }
            if (m.containsKey("from")) {
                msg.setFrom(address(m.get("from")));
            }
            if (m.containsKey("sender")) {
                msg.setSender(address(m.get("sender")));
            }
            msg.setReplyTo(addresses(m, "replyTo"));
            msg.setRecipients(Message.RecipientType.TO, addresses(m, "toRecipients"));
            msg.setRecipients(Message.RecipientType.CC, addresses(m, "ccRecipients"));
            List<String> bcc = new ArrayList<>();
            for (InternetAddress a : addresses(m, "bccRecipients")) {
                bcc.add(a.getAddress());
            }
            if (addresses(m, "toRecipients").length + addresses(m, "ccRecipients").length + bcc.size() == 0) {
                throw new Refused(400, "ErrorInvalidRecipients", "At least one recipient is required.");
            }
            if (m.containsKey("importance")) {
                String i = string(m, "importance").toLowerCase(Locale.ROOT);
                check(Set.of("low", "normal", "high").contains(i), "importance " + i);
                msg.setHeader("Importance", i);
            }
            headers(m, msg);
            content(m, msg);
            msg.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            msg.writeTo(out);
            MimeMessage delivered = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(out.toByteArray()));
            return new Parsed(delivered, out.toByteArray(), List.copyOf(bcc), !Boolean.FALSE.equals(save));
        } catch (Refused r) {
            throw r;
        } catch (Exception e) {
            throw bad("message not as documented: " + e);
        }
    }

    private static void headers(JSONObject m, MimeMessage msg) throws Exception {
        if (!m.containsKey("internetMessageHeaders")) {
            return;
        }
        JSONArray headers = array(m, "internetMessageHeaders");
        if (headers.size() > 5) {
            throw new Refused(400, "InvalidInternetMessageHeaderCollection",
                    "Maximum number of headers in one message should be less than or equal to 5.");
        }
        for (Object h : headers) {
            check(h instanceof JSONObject && ((JSONObject) h).keySet().equals(Set.of("name", "value")), "header shape");
            String name = string((JSONObject) h, "name");
            if (!name.toLowerCase(Locale.ROOT).startsWith("x-")) {
                throw new Refused(400, "InvalidInternetMessageHeader", "The internet message header name '" + name
                        + "' should start with 'x-' or 'X-'.");
            }
            msg.addHeader(name, string((JSONObject) h, "value"));
        }
    }

    /** The body, with inline attachments in multipart/related and the others in multipart/mixed. */
    private static void content(JSONObject m, MimeMessage msg) throws Exception {
        String text = "";
        String subtype = "plain";
        if (m.containsKey("body")) {
            check(m.get("body") instanceof JSONObject, "body is not an itemBody");
            JSONObject b = (JSONObject) m.get("body");
            check(Set.of("contentType", "content").containsAll(b.keySet()), "itemBody property " + b.keySet());
            String type = string(b, "contentType").toLowerCase(Locale.ROOT);
            check(type.equals("text") || type.equals("html"), "itemBody contentType " + type);
            text = string(b, "content");
            subtype = type.equals("html") ? "html" : "plain";
        }
        List<MimeBodyPart> inline = new ArrayList<>();
        List<MimeBodyPart> attached = new ArrayList<>();
        if (m.containsKey("attachments")) {
            for (Object a : array(m, "attachments")) {
                MimeBodyPart p = attachment(a);
                (Part.INLINE.equals(p.getDisposition()) ? inline : attached).add(p);
            }
        }
        if (inline.isEmpty() && attached.isEmpty()) {
            msg.setText(text, "UTF-8", subtype);
            return;
        }
        MimeBodyPart top = new MimeBodyPart();
        top.setText(text, "UTF-8", subtype);
        if (!inline.isEmpty()) {
            MimeMultipart related = new MimeMultipart("related", top);
            inline.forEach(p -> add(related, p));
            top = new MimeBodyPart();
            top.setContent(related);
        }
        if (attached.isEmpty()) {
            msg.setContent((MimeMultipart) top.getContent());
            return;
        }
        MimeMultipart mixed = new MimeMultipart("mixed", top);
        attached.forEach(p -> add(mixed, p));
        msg.setContent(mixed);
    }

    private static MimeBodyPart attachment(Object a) throws Exception {
        check(a instanceof JSONObject, "attachment is not an object");
        JSONObject f = (JSONObject) a;
        check(ATTACHMENT_KEYS.containsAll(f.keySet()), "attachment property in " + f.keySet());
        check("#microsoft.graph.fileAttachment".equals(f.get("@odata.type")), "not a fileAttachment");
        byte[] bytes = Base64.getDecoder().decode(string(f, "contentBytes"));
        String type = f.containsKey("contentType") ? string(f, "contentType") : "application/octet-stream";
        check(f.get("isInline") == null || f.get("isInline") instanceof Boolean, "isInline not a Boolean");
        MimeBodyPart p = new MimeBodyPart();
        p.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(bytes, type)));
        p.setFileName(string(f, "name"));
        p.setDisposition(Boolean.TRUE.equals(f.get("isInline")) ? Part.INLINE : Part.ATTACHMENT);
        if (f.containsKey("contentId")) {
            p.setContentID("<" + string(f, "contentId") + ">");
        }
        return p;
    }

    private static void add(MimeMultipart mp, MimeBodyPart p) {
        try {
            mp.addBodyPart(p);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InternetAddress address(Object recipient) throws Refused, AddressException {
        check(recipient instanceof JSONObject && ((JSONObject) recipient).keySet().equals(Set.of("emailAddress"))
                && ((JSONObject) recipient).get("emailAddress") instanceof JSONObject, "recipient shape");
        JSONObject e = (JSONObject) ((JSONObject) recipient).get("emailAddress");
        check(Set.of("address", "name").containsAll(e.keySet()), "emailAddress property in " + e.keySet());
        InternetAddress a = new InternetAddress(string(e, "address"), true);
        if (e.containsKey("name")) {
            try {
                a.setPersonal(string(e, "name"), "UTF-8");
            } catch (java.io.UnsupportedEncodingException x) {
                throw new IllegalStateException(x);
            }
        }
        return a;
    }

    private static InternetAddress[] addresses(JSONObject m, String key) throws Refused, AddressException {
        if (!m.containsKey(key)) {
            return new InternetAddress[0];
        }
        JSONArray list = array(m, key);
        InternetAddress[] out = new InternetAddress[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = address(list.get(i));
        }
        return out;
    }

    private static JSONArray array(JSONObject o, String key) throws Refused {
        check(o.get(key) instanceof JSONArray, key + " is not an array");
        return (JSONArray) o.get(key);
    }

    private static String string(JSONObject o, String key) throws Refused {
        check(o.get(key) instanceof String, key + " missing or not a string");
        return (String) o.get(key);
    }

    private static void check(boolean ok, String what) throws Refused {
        if (!ok) {
            throw bad(what);
        }
    }

    private static Refused bad(String what) {
        return new Refused(400, "BadRequest", "emulator: JSON sendMail " + what);
    }
}
