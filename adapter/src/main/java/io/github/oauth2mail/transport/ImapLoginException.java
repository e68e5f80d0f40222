package io.github.oauth2mail.transport;

import java.io.IOException;

/**
 * The adapter could not open or authenticate an IMAP connection ({@link ImapLogin}). It travels as the cause through
 * the IMAP implementation's exceptions to the adapter's store, which turns it into a {@code MessagingException}
 * (or an {@code AuthenticationFailedException} when the server did not accept the token). Never holds a token.
 */
final class ImapLoginException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean tokenRejected;
    private final String oauthStatus;

    ImapLoginException(String message, boolean tokenRejected, String oauthStatus, Throwable cause) {
        super(message, cause);
        this.tokenRejected = tokenRejected;
        this.oauthStatus = oauthStatus;
    }

    /** The server answered AUTHENTICATE with NO or an OAuth2 error challenge: the token was not accepted. */
    boolean tokenRejected() {
        return tokenRejected;
    }

    /** The status of the server's OAuth2 error challenge (e.g. {@code 401}), or null. */
    String oauthStatus() {
        return oauthStatus;
    }

    /** The first {@code ImapLoginException} in {@code t}'s cause chain, or null. */
    static ImapLoginException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ImapLoginException) {
                return (ImapLoginException) c;
            }
        }
        return null;
    }
}
