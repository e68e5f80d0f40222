package io.github.oauth2mail.provider;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.event.ConnectionEvent;

/**
 * The transport a server's own mail session names in transport-provider mode ({@code mail.smtp.class}): it connects
 * the connector transport of {@link ProviderConnectors#connectorSession} (XOAUTH2, pooled connection, fresh token)
 * and delegates to it. Host, port and password of the server's session are ignored: the connector's settings
 * ({@code smtp.*}) decide where a token is sent. A user name passed to {@code connect} selects the mailbox, which must
 * be the configured {@code mailbox} or one of {@code allowed-mailboxes}.
 */
public class ProviderTransport extends Transport {

    private volatile Transport delegate;

    public ProviderTransport(Session session, URLName urlname) {
        super(session, urlname);
    }

    /** Overridden whole: {@code Service.connect} would fill a missing user from {@code user.name}. */
    @Override
    public synchronized void connect(String host, int port, String user, String password) throws MessagingException {
        if (isConnected()) {
            throw new IllegalStateException("already connected");
        }
        Transport t = ProviderConnectors.connectorSession(session).getTransport("smtp");
        t.connect(null, -1, user == null || user.isEmpty() ? null : user, null);
        delegate = t;
        setConnected(true);
        notifyConnectionListeners(ConnectionEvent.OPENED);
    }

    @Override
    protected boolean protocolConnect(String host, int port, String user, String password) throws MessagingException {
        connect(host, port, user, password);
        return true;
    }

    @Override
    public void sendMessage(Message message, Address[] addresses) throws MessagingException {
        Transport t = delegate;
        if (t == null || !isConnected()) {
            throw new IllegalStateException("Not connected");
        }
        t.sendMessage(message, addresses);
    }

    @Override
    public synchronized void close() throws MessagingException {
        Transport t = delegate;
        delegate = null;
        try {
            if (t != null) {
                t.close();
            }
        } finally {
            super.close();
        }
    }
}
