package io.github.oauth2mail.failure;

import jakarta.mail.MessagingException;

/**
 * A {@link MessagingException} the adapter throws, carrying its {@link MessageId} and, when a mail server's reply
 * caused it, the reply code and enhanced status. The message starts with the ID.
 */
public class AdapterMessagingException extends MessagingException implements MailFailure {

    private static final long serialVersionUID = 1L;

    private final MessageId messageId;
    private final int replyCode;
    private final String serverReply;
    private final String enhancedStatus;

    /** @param text the message after the ID */
    public AdapterMessagingException(MessageId id, String text) {
        this(id, text, -1, null, null);
    }

    /** @param text the message after the ID */
    public AdapterMessagingException(MessageId id, String text, Exception cause) {
        this(id, text, -1, null, cause);
    }

    /** Reports {@code cause}, an adapter failure of a lower layer, with its ID and message as they are. */
    public <T extends Exception & MailFailure> AdapterMessagingException(T cause) {
        super(cause.getMessage(), cause);
        this.messageId = cause.messageId();
        this.replyCode = cause.replyCode();
        this.serverReply = cause.serverReply();
        this.enhancedStatus = cause.enhancedStatus();
    }

    /**
     * @param text        the message after the ID
     * @param replyCode   the server's reply code, or -1
     * @param serverReply the server's reply (its enhanced status is read from it), or null
     */
    public AdapterMessagingException(MessageId id, String text, int replyCode, String serverReply, Exception cause) {
        super(id.message(text), cause);
        this.messageId = id;
        this.replyCode = replyCode;
        this.serverReply = serverReply;
        this.enhancedStatus = ServerReplies.enhancedStatus(serverReply);
    }

    @Override
    public MessageId messageId() {
        return messageId;
    }

    @Override
    public int replyCode() {
        return replyCode;
    }

    @Override
    public String enhancedStatus() {
        return enhancedStatus;
    }

    @Override
    public String serverReply() {
        return serverReply;
    }
}
