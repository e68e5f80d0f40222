package io.github.oauth2mail.graph;

import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Enumeration;
import java.util.Set;

/**
 * The request body of MIME sendMail and of a MIME draft: the message as SMTP would transmit it ({@code writeTo}
 * without the Bcc and Content-Length headers), base64 encoded.
 * Graph takes at most 4 MB per request; the MIME is written into a buffer that stops at the size whose base64 form
 * would pass that, so an oversized message costs no more memory than the limit. For the upload route the MIME is
 * written without the attachments that are uploaded separately ({@link GraphParts}).
 */
final class GraphMime {

    /** Graph's request limit for MIME sendMail and create message: 4 MB. */
    static final int MAX_REQUEST = 4 * 1024 * 1024;
    /** The largest MIME whose base64 form fits {@link #MAX_REQUEST}. */
    static final int MAX_MIME = MAX_REQUEST / 4 * 3;

    /** Headers never sent (as SMTP): Bcc recipients stay invisible to the others. */
    private static final String[] NOT_TRANSMITTED = {"Bcc", "Content-Length"};

    private static final byte[] CRLF = {'\r', '\n'};

    private GraphMime() {
    }

    /**
     * The message as MIME, base64 encoded, with the body parts in {@code skip} (by identity) left out of their
     * multipart; null when that is over {@link #MAX_MIME} bytes (the buffer never grows past it).
     */
    static String base64OrNull(Message message, Set<Part> skip) throws MessagingException {
        Bounded out = new Bounded();
        try {
            if (skip.isEmpty() && message instanceof MimeMessage) {
                ((MimeMessage) message).writeTo(out, NOT_TRANSMITTED);
            } else if (skip.isEmpty()) {
                message.writeTo(out);
            } else {
                writeHeaders(((MimeMessage) message).getNonMatchingHeaderLines(NOT_TRANSMITTED), out);
                writeContent(message, out, skip);
            }
        } catch (Unchecked e) {
            return null;
        } catch (IOException e) {
            throw new AdapterMessagingException(MessageId.SMTP_MESSAGE_UNWRITABLE, "The message could not be "
                    + "written as MIME for Microsoft Graph: " + e.getMessage(), e);
        }
        return new String(Base64.getEncoder().encode(out.toByteArray()), StandardCharsets.US_ASCII);
    }

    /** The content of {@code part} as {@code MimeMultipart.writeTo} writes it, without the parts in {@code skip}. */
    private static void writeContent(Part part, OutputStream out, Set<Part> skip)
            throws IOException, MessagingException {
        MimeMultipart mp = (MimeMultipart) part.getContent(); // skip is not empty: the parts are in multiparts
        String boundary = "--" + new ContentType(mp.getContentType()).getParameter("boundary");
        String preamble = mp.getPreamble();
        if (preamble != null) {
            out.write(preamble.getBytes(StandardCharsets.ISO_8859_1));
            if (!preamble.endsWith("\r\n")) {
                out.write(CRLF);
            }
        }
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart p = mp.getBodyPart(i);
            if (skip.contains(p)) {
                continue;
            }
            out.write((boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (p.isMimeType("multipart/*") && containsAny(p, skip)) {
                writeHeaders(((MimeBodyPart) p).getAllHeaderLines(), out);
                writeContent(p, out, skip);
            } else {
                p.writeTo(out);
            }
            out.write(CRLF);
        }
        out.write((boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean containsAny(Part part, Set<Part> skip) throws IOException, MessagingException {
        if (skip.contains(part)) {
            return true;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                if (containsAny(mp.getBodyPart(i), skip)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void writeHeaders(Enumeration<String> lines, OutputStream out) throws IOException {
        while (lines.hasMoreElements()) {
            out.write(io.github.oauth2mail.transport.HeaderLineBytes.of(lines.nextElement())); // as Angus writes it
            out.write(CRLF);
        }
        out.write(CRLF);
    }

    /**
     * A Jakarta Mail {@link jakarta.mail.util.LineOutputStream}, so {@code MimeMessage.writeTo} writes header lines
     * straight to it instead of asking {@code StreamProvider.provider()} (a {@code ServiceLoader} lookup per call in
     * Jakarta Mail 2.1, which GraphBench's profile showed as a quarter of a Graph send's CPU); the bytes are those of
     * Angus's line stream ({@link io.github.oauth2mail.transport.HeaderLineBytes}), as on the SMTP path.
     */
    private static final class Bounded extends ByteArrayOutputStream implements jakarta.mail.util.LineOutputStream {
        @Override
        public void writeln(String line) {
            byte[] b = io.github.oauth2mail.transport.HeaderLineBytes.of(line);
            write(b, 0, b.length);
            writeln();
        }

        @Override
        public void writeln() {
            write('\r');
            write('\n');
        }

        @Override
        public synchronized void write(int b) {
            check(1);
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        private void check(int more) {
            if (count + (long) more > MAX_MIME) {
                throw new Unchecked();
            }
        }
    }

    /** Past {@link #MAX_MIME}: ByteArrayOutputStream's write methods declare no IOException. */
    private static final class Unchecked extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
