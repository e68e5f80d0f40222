package io.github.oauth2mail.provider;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import jakarta.mail.event.ConnectionEvent;

/**
 * The {@code imap}/{@code imaps} store a server's own mail session names in transport-provider mode
 * ({@code mail.imap.class}): it connects the connector's XOAUTH2 store (fresh token on every connect, the connector's
 * {@code imap.*} server) and hands out its folders.
 */
public class ProviderStore extends Store {

    private volatile Store delegate;

    public ProviderStore(Session session, URLName url) {
        super(session, url);
    }

    /** Overridden whole: {@code Service.connect} would fill a missing user from {@code user.name}. */
    @Override
    public synchronized void connect(String host, int port, String user, String password) throws MessagingException {
        if (isConnected()) {
            throw new IllegalStateException("already connected");
        }
        Session connector = ProviderConnectors.connectorSession(session);
        Store s = connector.getStore(connector.getProperty("mail.store.protocol"));
        s.connect(null, -1, user == null || user.isEmpty() ? null : user, null);
        delegate = s;
        setConnected(true);
        notifyConnectionListeners(ConnectionEvent.OPENED);
    }

    @Override
    protected boolean protocolConnect(String host, int port, String user, String password) throws MessagingException {
        connect(host, port, user, password);
        return true;
    }

    @Override
    public boolean isConnected() {
        Store s = delegate;
        return s != null && s.isConnected();
    }

    @Override
    public Folder getDefaultFolder() throws MessagingException {
        return connected().getDefaultFolder();
    }

    @Override
    public Folder getFolder(String name) throws MessagingException {
        return connected().getFolder(name);
    }

    @Override
    public Folder getFolder(URLName url) throws MessagingException {
        return connected().getFolder(url);
    }

    @Override
    public synchronized void close() throws MessagingException {
        Store s = delegate;
        delegate = null;
        try {
            if (s != null) {
                s.close();
            }
        } finally {
            super.close();
        }
    }

    private Store connected() {
        Store s = delegate;
        if (s == null) {
            throw new IllegalStateException("Not connected");
        }
        return s;
    }
}
