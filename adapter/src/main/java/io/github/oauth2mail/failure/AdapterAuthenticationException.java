package io.github.oauth2mail.failure;

import jakarta.mail.AuthenticationFailedException;

/**
 * An {@link AuthenticationFailedException} the adapter throws (mailbox not allowed, token rejected twice by an
 * IMAP/POP3 server), carrying its {@link MessageId}. The message starts with the ID.
 */
public class AdapterAuthenticationException extends AuthenticationFailedException implements MailFailure {

    private static final long serialVersionUID = 1L;

    private final MessageId messageId;

    /** @param text the message after the ID */
    public AdapterAuthenticationException(MessageId id, String text, Exception cause) {
        super(id.message(text), cause);
        this.messageId = id;
    }

    /** Reports {@code cause}, an adapter failure of a lower layer, with its ID and message as they are. */
    public <T extends Exception & MailFailure> AdapterAuthenticationException(T cause) {
        super(cause.getMessage(), cause);
        this.messageId = cause.messageId();
    }

    @Override
    public MessageId messageId() {
        return messageId;
    }
}
