package io.github.oauth2mail.jca;

import io.github.oauth2mail.transport.SmtpLease;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;

/** The connection handle a lease uses; closing it returns the managed connection to the pool. */
public final class SmtpConnectionHandle implements SmtpLease {

    private volatile SmtpManagedConnection managed;
    private final String mailbox;

    SmtpConnectionHandle(SmtpManagedConnection managed) {
        this.managed = managed;
        this.mailbox = managed.mailbox();
    }

    @Override
    public String mailbox() {
        return mailbox;
    }

    @Override
    public void send(Message message, Address[] recipients) throws MessagingException {
        SmtpManagedConnection mc = managed;
        if (mc == null) {
            throw new IllegalStateException("SMTP connection handle is closed");
        }
        mc.send(this, message, recipients);
    }

    @Override
    public void close() {
        SmtpManagedConnection mc = managed;
        managed = null;
        if (mc != null) {
            mc.handleClosed(this);
        }
    }

    void associate(SmtpManagedConnection mc) {
        managed = mc;
    }

    void invalidate() {
        managed = null;
    }
}
