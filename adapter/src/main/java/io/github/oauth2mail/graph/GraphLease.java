package io.github.oauth2mail.graph;

import io.github.oauth2mail.transport.SmtpLease;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;

/**
 * What {@code Transport.connect} hands out in Graph mode: no connection is held between sends (Graph's requests are
 * independent); each {@link #send} is one or a few HTTPS requests over the resource's shared client.
 */
public final class GraphLease implements SmtpLease {

    /** What the resource counts: a send accepted, a send failed, the lease returned. */
    public interface Outcomes {
        void succeeded();

        void failed(String mailbox, Exception e);

        void returned();
    }

    private final GraphMailer mailer;
    private final String mailbox;
    private final Outcomes outcomes;
    private volatile boolean closed;

    public GraphLease(GraphMailer mailer, String mailbox, Outcomes outcomes) {
        this.mailer = mailer;
        this.mailbox = mailbox;
        this.outcomes = outcomes;
    }

    @Override
    public String mailbox() {
        return mailbox;
    }

    @Override
    public void send(Message message, Address[] recipients) throws MessagingException {
        if (closed) {
            throw new IllegalStateException("Microsoft Graph lease already returned");
        }
        try {
            mailer.send(mailbox, message, recipients);
        } catch (MessagingException | RuntimeException e) {
            outcomes.failed(mailbox, e);
            throw e;
        }
        outcomes.succeeded();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            outcomes.returned();
        }
    }
}
