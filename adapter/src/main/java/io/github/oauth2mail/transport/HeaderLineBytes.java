package io.github.oauth2mail.transport;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of one MIME header line as Angus Mail's line stream writes them, for the adapter's own Jakarta Mail
 * {@code LineOutputStream}s (SMTP DATA, the Graph MIME buffer): UTF-8 unless the system property
 * {@code mail.mime.allowutf8} is {@code false} (read once, as {@code MimeBodyPart} does), then the low byte of each
 * character.
 */
public final class HeaderLineBytes {

    private static final boolean ALLOW_UTF8 = !"false".equalsIgnoreCase(System.getProperty("mail.mime.allowutf8"));

    private HeaderLineBytes() {
    }

    /** The line's bytes, without the line end. */
    public static byte[] of(String line) {
        if (ALLOW_UTF8) {
            return line.getBytes(StandardCharsets.UTF_8);
        }
        byte[] b = new byte[line.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) line.charAt(i);
        }
        return b;
    }
}
