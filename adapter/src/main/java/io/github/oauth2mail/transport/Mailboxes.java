package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import jakarta.mail.AuthenticationFailedException;

/** Which mailbox a connect authenticates as. */
public final class Mailboxes {

    private Mailboxes() {
    }

    /**
     * The configured mailbox when {@code user} is empty; {@code user} when it is the configured or an allowed mailbox;
     * otherwise an AuthenticationFailedException, before any network traffic.
     */
    public static String choose(ConnectorSettings s, String user) throws AuthenticationFailedException {
        if (user == null || user.isBlank() || user.trim().equalsIgnoreCase(s.mailbox())) {
            return s.mailbox();
        }
        if (s.mayUse(user.trim())) {
            return user.trim();
        }
        throw new AuthenticationFailedException("OAM203 Mailbox '" + user.trim() + "' is not allowed for connector resource '"
                + s.name() + "': it may send as " + s.mailbox() + " and the mailboxes listed in "
                + s.key(Setting.ALLOWED_MAILBOXES));
    }
}
