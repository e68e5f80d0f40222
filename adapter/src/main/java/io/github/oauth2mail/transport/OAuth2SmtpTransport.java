package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.event.TransportEvent;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code smtp} transport of a connector Session. {@code connect} borrows an authenticated connection for the
 * mailbox from the connector (the server's pool), {@code sendMessage} submits through it, {@code close} returns it.
 * The password an application passes is ignored and never logged; a user name it passes selects the mailbox, which
 * must be the configured {@code mailbox} or one of {@code allowed-mailboxes}.
 */
public class OAuth2SmtpTransport extends Transport {

    private static final Logger LOG = Logger.getLogger(OAuth2SmtpTransport.class.getName());

    private volatile SmtpLease lease;

    public OAuth2SmtpTransport(Session session, URLName urlname) {
        super(session, urlname);
    }

    @Override
    protected boolean protocolConnect(String host, int port, String user, String password) throws MessagingException {
        MailConnector connector = AdapterSessions.connectorOf(session);
        if (connector == null) {
            throw new AdapterMessagingException(MessageId.SESSION_NOT_FROM_CONNECTOR, "This Session was not built by the "
                    + "OAuth2 mail connector: look the "
                    + "Session up from the connector resource (its connection factory), not from a plain mail resource");
        }
        String mailbox = Mailboxes.choose(connector.settings(), user);
        lease = connector.lease(mailbox);
        return true;
    }

    @Override
    public void sendMessage(Message message, Address[] addresses) throws MessagingException {
        SmtpLease current = lease;
        if (current == null || !isConnected()) {
            throw new IllegalStateException("Not connected");
        }
        if (addresses == null || addresses.length == 0) {
            throw new SendFailedException("No recipient addresses");
        }
        try {
            current.send(message, addresses);
        } catch (SendFailedException e) {
            notifyTransportListeners(TransportEvent.MESSAGE_NOT_DELIVERED, e.getValidSentAddresses(),
                    e.getValidUnsentAddresses(), e.getInvalidAddresses(), message);
            throw e;
        }
        notifyTransportListeners(TransportEvent.MESSAGE_DELIVERED, addresses, new Address[0], new Address[0], message);
    }

    @Override
    public synchronized void close() throws MessagingException {
        SmtpLease current = lease;
        lease = null;
        try {
            if (current != null) {
                current.close();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "OAM231 returning the SMTP connection failed", e);
        } finally {
            super.close();
        }
    }
}
