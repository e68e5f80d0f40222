package io.github.oauth2mail.jca;

import jakarta.resource.spi.ConnectionRequestInfo;
import java.util.Locale;

/** The mailbox a connection is requested for; managed connections match only their own mailbox. */
final class MailboxRequestInfo implements ConnectionRequestInfo {

    private final String mailbox;

    MailboxRequestInfo(String mailbox) {
        this.mailbox = mailbox;
    }

    String mailbox() {
        return mailbox;
    }

    boolean sameMailbox(String other) {
        return other != null && other.toLowerCase(Locale.ROOT).equals(mailbox.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailboxRequestInfo && ((MailboxRequestInfo) o).sameMailbox(mailbox);
    }

    @Override
    public int hashCode() {
        return mailbox.toLowerCase(Locale.ROOT).hashCode();
    }

    @Override
    public String toString() {
        return "MailboxRequestInfo[" + mailbox + "]";
    }
}
