package io.github.oauth2mail.graph;

import io.github.oauth2mail.graph.GraphJsonMessage.Unmappable;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.util.Locale;
import net.minidev.json.JSONObject;

/** The small mappings of {@link GraphJsonMessage}: addresses, priority, the body part; attachments' names as {@link GraphParts} gives them. */
final class GraphJsonParts {

    private GraphJsonParts() {
    }

    /** {@code {"emailAddress":{"address":...,"name":...}}} of one Internet address (not a group). */
    static JSONObject recipient(Address a) throws Unmappable {
        if (!(a instanceof InternetAddress) || ((InternetAddress) a).isGroup()) {
            throw new Unmappable("an address that is not a single Internet address (" + (a == null ? "unparsable"
                    : a.getType()) + ")");
        }
        InternetAddress ia = (InternetAddress) a;
        JSONObject email = new JSONObject();
        email.put("address", ia.getAddress());
        if (ia.getPersonal() != null && !ia.getPersonal().isEmpty()) {
            email.put("name", ia.getPersonal());
        }
        JSONObject r = new JSONObject();
        r.put("emailAddress", email);
        return r;
    }

    /**
     * {@code low}, {@code normal} or {@code high} from the Importance, X-Priority and Priority headers; null when none
     * is set.
     *
     * @throws Unmappable a value none of them defines, or headers that disagree
     */
    static String importance(MimeMessage m) throws MessagingException, Unmappable {
        String found = null;
        for (String header : new String[] {"Importance", "X-Priority", "Priority"}) {
            String[] values = m.getHeader(header);
            if (values == null) {
                continue;
            }
            for (String v : values) {
                String level = level(header, v.trim().toLowerCase(Locale.ROOT));
                if (level == null || (found != null && !found.equals(level))) {
                    throw new Unmappable(level == null ? "header " + header + " with a value Microsoft Graph's "
                            + "importance has no level for" : "priority headers that disagree");
                }
                found = level;
            }
        }
        return found;
    }

    private static String level(String header, String v) {
        if (header.equals("X-Priority")) {
            String digit = v.isEmpty() ? "" : v.substring(0, 1);
            return switch (digit) {
                case "1", "2" -> "high";
                case "3" -> "normal";
                case "4", "5" -> "low";
                default -> null;
            };
        }
        return switch (v) {
            case "high", "urgent" -> "high";
            case "normal" -> "normal";
            case "low", "non-urgent" -> "low";
            default -> null;
        };
    }

    /**
     * The alternative that carries the body: the last HTML (text/html or multipart/related), else the last
     * text/plain.
     *
     * @throws Unmappable an alternative of another type (it would be lost), or none usable
     */
    static Part preferred(Multipart alternative) throws MessagingException, Unmappable {
        Part html = null;
        Part text = null;
        for (int i = 0; i < alternative.getCount(); i++) {
            BodyPart p = alternative.getBodyPart(i);
            if (p.isMimeType("text/html") || p.isMimeType("multipart/related")) {
                html = p;
            } else if (p.isMimeType("text/plain")) {
                text = p;
            } else {
                throw new Unmappable("an alternative of " + baseType(p) + " (the JSON form has one text or HTML body)");
            }
        }
        if (html == null && text == null) {
            throw new Unmappable("an empty multipart/alternative");
        }
        return html != null ? html : text;
    }

    /** A text part's content as a string. */
    static String text(Part p) throws MessagingException, Unmappable {
        try {
            Object o = p.getContent();
            if (o instanceof String) {
                return (String) o;
            }
        } catch (IOException e) {
            throw new Unmappable("a " + baseType(p) + " body that cannot be decoded (" + e.getClass().getSimpleName() + ")");
        }
        throw new Unmappable("a " + baseType(p) + " body that is not text");
    }

    static String baseType(Part p) throws MessagingException {
        try {
            return new ContentType(p.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException | NullPointerException e) {
            return "application/octet-stream";
        }
    }
}
