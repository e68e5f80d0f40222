package io.github.oauth2mail.transport;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Enumeration;

/**
 * Checks a message's header lines before it is submitted: a raw control character or line separator (CR or LF not
 * part of a fold, NUL, U+0085, U+2028, U+2029 and the other controls Angus Mail's CVE-2025-7962 fix covers) could end
 * a header early for some reader and inject another one. Jakarta Mail encodes such characters in subjects and
 * personal names, but not in an address set with {@code InternetAddress.setAddress} or in a raw {@code setHeader}.
 */
final class MessageHeaders {

    private MessageHeaders() {
    }

    /** Why {@code msg} must not be sent, or null when its headers are clean (only MIME messages are checked). */
    static String problem(Message msg) throws MessagingException {
        if (!(msg instanceof MimeMessage)) {
            return null;
        }
        Enumeration<String> lines = ((MimeMessage) msg).getAllHeaderLines();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                boolean fold = c == '\r' && i + 2 < line.length() && line.charAt(i + 1) == '\n'
                        && (line.charAt(i + 2) == ' ' || line.charAt(i + 2) == '\t');
                if (fold) {
                    i += 2;
                } else if (c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f || c == '\u2028'
                        || c == '\u2029') {
                    int colon = line.indexOf(':');
                    return "header " + EnvelopeAddress.printable(colon > 0 ? line.substring(0, colon) : line)
                            + " contains a control or line-break character (U+" + String.format("%04X", (int) c)
                            + ") that could inject a header";
                }
            }
        }
        return null;
    }
}
