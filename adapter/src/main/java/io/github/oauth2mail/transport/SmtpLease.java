package io.github.oauth2mail.transport;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;

/** A borrowed, authenticated SMTP connection. Closing it returns it to its pool. */
public interface SmtpLease extends AutoCloseable {

    /** The mailbox this connection authenticated as. */
    String mailbox();

    /**
     * Submits one message. Either the server accepted it, or this throws; after the message data was sent and no
     * reply came, it throws without retrying (the message may or may not have been accepted).
     */
    void send(Message message, Address[] recipients) throws MessagingException;

    @Override
    void close();
}
