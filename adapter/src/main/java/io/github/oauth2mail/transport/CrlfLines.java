package io.github.oauth2mail.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading one server line (SMTP reply, IMAP response) of bounded length, without its CRLF. */
final class CrlfLines {

    static final int MAX_LINE = 64 * 1024;

    private CrlfLines() {
    }

    /** {@code server} names the peer in errors, e.g. {@code SMTP server host:port}. */
    static String read(InputStream in, String server) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException(server + " closed the connection");
            }
            if (b.size() >= MAX_LINE) {
                throw new IOException("line from " + server + " longer than " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
        byte[] bytes = b.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }
}
