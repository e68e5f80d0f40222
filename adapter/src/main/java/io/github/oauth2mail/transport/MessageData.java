package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Writes one message after {@code 354}: the body through the CRLF-normalising, dot-stuffing stream, then the
 * terminating dot; a stall bounded by the read timeout (a watchdog aborts the socket when the server has accepted no
 * bytes for that long, so a server that stops reading cannot block the sender for ever; a slow but steady one is not
 * cut off). The abort runs on {@link StallTimer}'s thread (a socket close, nothing else); the watchdog is cancelled when
 * the write ends, so no task outlives the message.
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
        Watchdog watchdog = new Watchdog(wire, bound.toNanos());
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
            throw new WriteFailed(e, dotMayBeSent, watchdog.fired);
        } finally {
            watchdog.stop();
        }
    }

    /**
     * Aborts the socket when it has accepted no bytes for {@code bound} (a stall), not when the whole upload takes
     * longer: a server that reads steadily, however slowly, is not cut off. It looks once per {@code bound} at most.
     */
    private static final class Watchdog implements Runnable {
        private final SmtpWire wire;
        private final LineChannel channel;
        private final long bound;
        private volatile boolean done;
        private volatile ScheduledFuture<?> next;
        volatile boolean fired;

        Watchdog(SmtpWire wire, long boundNanos) {
            this.wire = wire;
            this.channel = wire.channel();
            this.bound = boundNanos;
            channel.markWriteProgress();
            schedule(bound);
        }

        private void schedule(long nanos) {
            next = StallTimer.schedule(this, nanos);
            if (done) { // stop() ran between the check in run() and the assignment
                next.cancel(false);
            }
        }

        void stop() {
            done = true;
            ScheduledFuture<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
        }

        @Override
        public void run() {
            if (done) {
                return;
            }
            long idle = System.nanoTime() - channel.lastWrite();
            if (idle >= bound) {
                fired = true;
                wire.abort();
            } else {
                schedule(bound - idle);
            }
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
        return SmtpSendException.broken(MessageId.SMTP_MESSAGE_UNWRITABLE, "the message could not be written (" + e
                + "); nothing was delivered and the connection was closed", e);
    }
}
