package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterAuthenticationException;
import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.AuthenticationFailedException;

/**
 * Which mailbox a connect authenticates as: {@link ConnectorSettings#mailboxFor}, the one rule SMTP, IMAP and POP3
 * share, with each protocol's message when the app names a mailbox it may not use.
 */
public final class Mailboxes {

    private Mailboxes() {
    }

    /**
     * SMTP: the configured mailbox when {@code user} is null or blank; the configured spelling of {@code user} when it
     * is the configured or an allowed mailbox; otherwise an AuthenticationFailedException, before any network traffic.
     */
    public static String choose(ConnectorSettings s, String user) throws AuthenticationFailedException {
        return s.mailboxFor(user).orElseThrow(() -> new AdapterAuthenticationException(MessageId.MAILBOX_NOT_ALLOWED, "Mailbox '"
                + EnvelopeAddress.printable(user.strip()) + "' is not allowed for connector resource '" + s.name()
                + "': it may send as " + s.mailbox() + " and the mailboxes listed in " + s.key(Setting.ALLOWED_MAILBOXES), null));
    }

    /** IMAP and POP3: the same rule as {@link #choose}, refused with {@code OAM220}. */
    static String forStore(ConnectorSettings s, String user) throws AuthenticationFailedException {
        return s.mailboxFor(user).orElseThrow(() -> new AdapterAuthenticationException(MessageId.STORE_MAILBOX_NOT_ALLOWED, "mailbox "
                + EnvelopeAddress.printable(user) + " may not be used with connector resource " + s.name()
                + ": it is neither " + s.key(Setting.MAILBOX) + " nor listed in " + s.key(Setting.ALLOWED_MAILBOXES), null));
    }
}
