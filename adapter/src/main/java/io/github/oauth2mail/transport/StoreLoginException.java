package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;

/**
 * The adapter could not open or authenticate a store connection: an IMAP connection ({@link ImapLogin}), where it
 * travels as the cause through the IMAP implementation's exceptions, or a POP3 login. The adapter's store turns it
 * into a {@code MessagingException}, or an {@code AuthenticationFailedException} when the server did not accept the
 * token. Never holds a token.
 */
final class StoreLoginException extends IOException implements MailFailure {

    private static final long serialVersionUID = 1L;

    private final MessageId messageId;
    private final boolean tokenRejected;
    private final String oauthStatus;

    /** @param text the message after the ID */
    StoreLoginException(MessageId id, String text, boolean tokenRejected, String oauthStatus, Throwable cause) {
        super(id.message(text), cause);
        this.messageId = id;
        this.tokenRejected = tokenRejected;
        this.oauthStatus = oauthStatus;
    }

    /** Reports {@code cause}, a failure of a lower layer (a token failure, a wire fault), with its ID and message. */
    <T extends Exception & MailFailure> StoreLoginException(T cause) {
        super(cause.getMessage(), cause);
        this.messageId = cause.messageId();
        this.tokenRejected = false;
        this.oauthStatus = null;
    }

    @Override
    public MessageId messageId() {
        return messageId;
    }

    /** The server answered AUTHENTICATE with NO or an OAuth2 error challenge: the token was not accepted. */
    boolean tokenRejected() {
        return tokenRejected;
    }

    /** The status of the server's OAuth2 error challenge (e.g. {@code 401}), or null. */
    String oauthStatus() {
        return oauthStatus;
    }

    /** The first {@code StoreLoginException} in {@code t}'s cause chain, or null. */
    static StoreLoginException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StoreLoginException) {
                return (StoreLoginException) c;
            }
        }
        return null;
    }
}
