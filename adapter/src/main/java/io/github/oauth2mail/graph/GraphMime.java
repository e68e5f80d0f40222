package io.github.oauth2mail.graph;

import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The request body of MIME sendMail and of a MIME draft: the message as SMTP would transmit it ({@code writeTo}
 * without the Bcc and Content-Length headers), base64 encoded.
 * Graph takes at most 4 MB per request; the MIME is written into a buffer that stops at the size whose base64 form
 * would pass that, so an oversized message costs no more memory than the limit.
 */
final class GraphMime {

    /** Graph's request limit for MIME sendMail and create message: 4 MB. */
    static final int MAX_REQUEST = 4 * 1024 * 1024;
    /** The largest MIME whose base64 form fits {@link #MAX_REQUEST}. */
    static final int MAX_MIME = MAX_REQUEST / 4 * 3;

    /** Headers never sent (as SMTP): Bcc recipients stay invisible to the others. */
    private static final String[] NOT_TRANSMITTED = {"Bcc", "Content-Length"};

    private GraphMime() {
    }

    static String base64(Message message, GraphFailures failures, String mailbox) throws MessagingException {
        Bounded out = new Bounded();
        try {
            if (message instanceof MimeMessage) {
                ((MimeMessage) message).writeTo(out, NOT_TRANSMITTED);
            } else {
                message.writeTo(out);
            }
        } catch (Unchecked e) {
            throw failures.failure(MessageId.GRAPH_MESSAGE_TOO_LARGE, mailbox, "The message is larger than "
                    + MAX_MIME + " bytes of MIME, which is over Microsoft Graph's request limit of " + MAX_REQUEST
                    + " bytes once base64 encoded; not sent", null, null);
        } catch (IOException e) {
            throw new AdapterMessagingException(MessageId.SMTP_MESSAGE_UNWRITABLE, "The message could not be "
                    + "written as MIME for Microsoft Graph: " + e.getMessage(), e);
        }
        return new String(Base64.getEncoder().encode(out.toByteArray()), StandardCharsets.US_ASCII);
    }

    private static final class Bounded extends ByteArrayOutputStream {
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
