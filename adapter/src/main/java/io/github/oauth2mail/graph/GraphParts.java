package io.github.oauth2mail.graph;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The attachments of a message that go to Microsoft Graph through upload sessions: every leaf body part of a
 * multipart that is an attachment (a disposition, a file name or a Content-ID) with at least {@link #MIN_UPLOAD}
 * decoded bytes, the size {@code createUploadSession} requires (smaller files get {@code
 * ErrorAttachmentSizeShouldNotBeLessThanMinimumSize}; they stay in the draft's MIME). The sizes are counted by
 * streaming each part's decoded content once; nothing is buffered.
 */
final class GraphParts {

    /** {@code createUploadSession} takes files of 3 MB to 150 MB. */
    static final long MIN_UPLOAD = 3L * 1024 * 1024;
    static final long MAX_UPLOAD = 150L * 1024 * 1024;

    /** One attachment to upload: its part and the {@code AttachmentItem} Graph is told about. */
    record Large(Part part, String name, String contentType, boolean inline, String contentId, long size) {
    }

    private GraphParts() {
    }

    /** The attachments of {@code message} to upload (none when it is not a multipart MIME message). */
    static List<Large> of(Message message) throws MessagingException, IOException {
        List<Large> out = new ArrayList<>();
        if (message instanceof MimeMessage && message.isMimeType("multipart/*")) {
            collect((Multipart) message.getContent(), out);
        }
        return out;
    }

    /** The parts of {@code large}, compared by identity (as {@link GraphMime} leaves them out). */
    static Set<Part> parts(List<Large> large) {
        Set<Part> s = Collections.newSetFromMap(new IdentityHashMap<>());
        large.forEach(l -> s.add(l.part()));
        return s;
    }

    private static void collect(Multipart mp, List<Large> out) throws MessagingException, IOException {
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart p = mp.getBodyPart(i);
            if (p.isMimeType("multipart/*")) {
                collect((Multipart) p.getContent(), out);
            } else if (p instanceof MimeBodyPart && attachment((MimeBodyPart) p)) {
                long size = decodedSize(p);
                if (size >= MIN_UPLOAD) {
                    MimeBodyPart m = (MimeBodyPart) p;
                    String cid = m.getContentID();
                    boolean inline = Part.INLINE.equalsIgnoreCase(m.getDisposition())
                            || (m.getDisposition() == null && cid != null);
                    out.add(new Large(p, name(m), baseType(m), inline, cid == null ? null : strip(cid), size));
                }
            }
        }
    }

    /** A part with a disposition, a file name or a Content-ID: an attachment (inline or not), not a body. */
    static boolean attachment(Part p) throws MessagingException {
        return p.getDisposition() != null || p.getFileName() != null
                || (p instanceof MimePart && ((MimePart) p).getContentID() != null);
    }

    private static long decodedSize(Part p) throws MessagingException, IOException {
        try (InputStream in = p.getInputStream()) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** The attachment's name: its file name (decoded), else its Content-ID, else {@code attachment}. */
    static String name(Part p) throws MessagingException {
        String name = p.getFileName();
        if (name == null) {
            String cid = p instanceof MimePart ? ((MimePart) p).getContentID() : null;
            return cid == null ? "attachment" : strip(cid);
        }
        try {
            return MimeUtility.decodeText(name);
        } catch (UnsupportedEncodingException e) {
            return name;
        }
    }

    private static String baseType(Part p) throws MessagingException {
        try {
            return new ContentType(p.getContentType()).getBaseType();
        } catch (ParseException e) {
            return "application/octet-stream";
        }
    }

    /** {@code <id@host>} as {@code id@host}. */
    static String strip(String cid) {
        String s = cid.trim();
        return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
    }
}
