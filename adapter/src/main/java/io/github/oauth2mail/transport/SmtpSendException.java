package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.failure.ServerReplies;
import jakarta.mail.Address;
import jakarta.mail.SendFailedException;

/**
 * A send did not succeed. What the caller may do next is on the exception:
 * <ul>
 *   <li>{@link #connectionBroken()}: I/O error, timeout, {@code 421} or a protocol state that cannot be recovered;
 *       discard the connection.</li>
 *   <li>{@link #safeToRetry()}: the failure happened before the message's terminating {@code .} was written, so the
 *       server cannot have accepted it; the caller may retry once on a fresh connection (useful when the connection
 *       broke or the failure is {@link #temporary()}).</li>
 *   <li>{@link #deliveryUnknown()}: the terminating {@code .} was sent but no reply was read; the server may or may not
 *       have accepted the message. Never resend automatically.</li>
 *   <li>{@link #temporary()}: a 4xx reply (e.g. {@code 432 4.3.2}, {@code 451}); {@code false} for 5xx.</li>
 * </ul>
 * Recipient rejections fill {@link #getInvalidAddresses()} (5xx) and {@link #getValidUnsentAddresses()}.
 */
public final class SmtpSendException extends SendFailedException implements MailFailure {

    private static final long serialVersionUID = 1L;

    private final MessageId messageId;
    private final int replyCode;
    private final String serverReply;
    private final String enhancedStatus;
    private final boolean connectionBroken;
    private final boolean safeToRetry;
    private final boolean deliveryUnknown;
    private final boolean temporary;

    private SmtpSendException(MessageId id, String message, Exception cause, Address[] validUnsent, Address[] invalid,
                              int replyCode, String serverReply, boolean connectionBroken, boolean safeToRetry,
                              boolean deliveryUnknown, boolean temporary) {
        super(message, cause, null, validUnsent, invalid);
        this.messageId = id;
        this.replyCode = replyCode;
        this.serverReply = serverReply;
        this.enhancedStatus = ServerReplies.enhancedStatus(serverReply);
        this.connectionBroken = connectionBroken;
        this.safeToRetry = safeToRetry;
        this.deliveryUnknown = deliveryUnknown;
        this.temporary = temporary;
    }

    /** The server answered a command before the final {@code .} with an error. */
    static SmtpSendException rejected(MessageId id, String text, SmtpReply reply, Address[] validUnsent,
                                      Address[] invalid, boolean broken) {
        return new SmtpSendException(id, id.message(text) + ": " + reply + (reply.isTemporary() ? " (temporary)"
                : " (permanent)"), null, validUnsent, invalid, reply.code(), reply.toString(), broken, true, false,
                reply.isTemporary());
    }

    /** The server answered the message data with an error: it did not accept the message. */
    static SmtpSendException dataRejected(MessageId id, String text, SmtpReply reply) {
        return new SmtpSendException(id, id.message(text) + ": " + reply + (reply.isTemporary() ? " (temporary)"
                : " (permanent)"), null, null, null, reply.code(), reply.toString(), reply.code() == 421, false, false,
                reply.isTemporary());
    }

    /** The connection failed before the final {@code .} was written. */
    static SmtpSendException brokenBeforeData(MessageId id, String text, Exception cause) {
        return new SmtpSendException(id, id.message(text), cause, null, null, -1, null, true, true, false, true);
    }

    /** The final {@code .} was written but no reply came. */
    static SmtpSendException deliveryUnknown(MessageId id, String text, Exception cause) {
        return new SmtpSendException(id, id.message(text), cause, null, null, -1, null, true, false, true, false);
    }

    /** Invalid input detected before any command was sent (no retry helps). */
    static SmtpSendException invalid(MessageId id, String text, Address[] invalid) {
        return new SmtpSendException(id, id.message(text), null, null, invalid, -1, null, false, false, false, false);
    }

    /** Something else went wrong; the connection state is unknown, so it is broken, and a retry would not help. */
    static SmtpSendException broken(MessageId id, String text, Exception cause) {
        return new SmtpSendException(id, id.message(text), cause, null, null, -1, null, true, false, false, false);
    }

    /**
     * The same failure, reported after {@code attempts} attempts of one send that retried it until {@code deadline}
     * ran out (or no retry was allowed): same ID, reply, addresses and flags; the first attempt's failure is suppressed.
     */
    public SmtpSendException afterAttempts(int attempts, String deadlineKey, long deadlineMillis) {
        SmtpSendException e = new SmtpSendException(messageId, getMessage() + " [" + attempts + " attempts within "
                + deadlineKey + "=" + deadlineMillis + "]", (Exception) getCause(), getValidUnsentAddresses(),
                getInvalidAddresses(), replyCode, serverReply, connectionBroken, safeToRetry, deliveryUnknown, temporary);
        e.setStackTrace(getStackTrace());
        return e;
    }

    public boolean connectionBroken() {
        return connectionBroken;
    }

    public boolean safeToRetry() {
        return safeToRetry;
    }

    public boolean deliveryUnknown() {
        return deliveryUnknown;
    }

    public boolean temporary() {
        return temporary;
    }

    @Override
    public MessageId messageId() {
        return messageId;
    }

    /** The server's reply code, or -1 when the failure was not a reply (I/O, timeout, invalid input). */
    @Override
    public int replyCode() {
        return replyCode;
    }

    /** The server's reply text, e.g. {@code 432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded}; or null. */
    @Override
    public String serverReply() {
        return serverReply;
    }

    /** The enhanced status of the server's reply (e.g. {@code 4.3.2}), or null. */
    @Override
    public String enhancedStatus() {
        return enhancedStatus;
    }
}
