package io.github.oauth2mail.failure;

/**
 * A failure the adapter reports, as values: what it was ({@link #messageId()}, which also gives its
 * {@link FailureKind} and advice) and, when a mail server answered, its reply code and enhanced status. Metrics,
 * health, audit and the diagnostic decide on these, never on the message text. Implemented by every adapter
 * exception.
 */
public interface MailFailure {

    /** What failed: one ID, one meaning. */
    MessageId messageId();

    /** The mail server's reply code (e.g. 432), or -1 when no reply caused the failure. */
    default int replyCode() {
        return -1;
    }

    /** The enhanced status of the server's reply (e.g. {@code 4.3.2}, RFC 3463), or null. */
    default String enhancedStatus() {
        return null;
    }

    /** The mail server's reply as it sent it (e.g. {@code 432 4.3.2 STOREDRV.ClientSubmit; ...}), or null. */
    default String serverReply() {
        return null;
    }

    /** The first {@link MailFailure} in {@code t}'s cause chain (itself included), or null. */
    static MailFailure in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof MailFailure) {
                return (MailFailure) c;
            }
        }
        return null;
    }
}
