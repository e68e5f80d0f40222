package io.github.oauth2mail.transport;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes one message after {@code 354}: the body through the CRLF-normalising, dot-stuffing stream, then the
 * terminating dot; the whole write bounded by the read timeout (a watchdog aborts the socket, so a server that stops
 * reading cannot block the sender for ever). The abort runs on the JDK's shared delay-scheduler thread (a socket close,
 * nothing else): the adapter starts no thread and does not depend on the common fork-join pool.
 */
final class MessageData {

    /** Headers never sent (as Angus's SMTP transport): Bcc recipients stay invisible to the others. */
    private static final String[] NOT_TRANSMITTED = {"Bcc", "Content-Length"};

    private MessageData() {
    }

    /** The socket failed while the message was written. */
    static final class WriteFailed extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean dotMayBeSent;
        final boolean timedOut;

        WriteFailed(IOException cause, boolean dotMayBeSent, boolean timedOut) {
            super(cause.toString(), cause);
            this.dotMayBeSent = dotMayBeSent;
            this.timedOut = timedOut;
        }
    }

    /**
     * @throws WriteFailed       the socket failed (or the bound passed); says whether the dot may have been sent
     * @throws SmtpSendException the message itself could not be written (e.g. an unreadable attachment); the socket
     *                           has been aborted, since the server is in the middle of DATA
     */
    static void write(SmtpWire wire, Message msg, Duration bound) throws WriteFailed, SmtpSendException {
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> {
            timedOut.set(true);
            wire.abort();
        }, CompletableFuture.delayedExecutor(bound.toMillis(), TimeUnit.MILLISECONDS, Runnable::run));
        boolean dotMayBeSent = false;
        try {
            SmtpDataStream data = new SmtpDataStream(wire.dataOut());
            wire.trace("C: <message data>");
            body(wire, msg, data);
            data.flush();
            dotMayBeSent = true;
            data.finish();
            wire.trace("C: .");
        } catch (IOException e) {
            throw new WriteFailed(e, dotMayBeSent, timedOut.get());
        } finally {
            watchdog.cancel(false);
        }
    }

    private static void body(SmtpWire wire, Message msg, SmtpDataStream data) throws IOException, SmtpSendException {
        try {
            if (msg instanceof MimeMessage) {
                ((MimeMessage) msg).writeTo(data, NOT_TRANSMITTED);
            } else {
                msg.writeTo(data);
            }
        } catch (IOException e) {
            if (data.socketFailed()) {
                throw e;
            }
            throw unwritable(wire, e);
        } catch (MessagingException | RuntimeException e) {
            throw unwritable(wire, e);
        }
    }

    private static SmtpSendException unwritable(SmtpWire wire, Exception e) {
        wire.abort();
        return SmtpSendException.broken("OAM215 the message could not be written (" + e
                + "); nothing was delivered and the connection was closed", e);
    }
}
