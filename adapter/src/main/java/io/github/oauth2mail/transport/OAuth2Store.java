package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterAuthenticationException;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.AccessToken;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenProvider;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import jakarta.mail.event.ConnectionEvent;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A message store of a Session built by the adapter ({@link OAuth2ImapStore}, {@link OAuth2Pop3Store}): authenticates
 * with an OAuth2 token fetched (or reused while valid) on every {@code connect}, retries once with a freshly fetched
 * token when the server rejects it, and delegates folders and messages to the Jakarta Mail implementation's own store.
 * The Session must carry a {@link MailConnector} under {@link MailConnector#SESSION_KEY}. Host, port, TLS and timeouts
 * come from the connector's settings; a password passed to {@code connect} is ignored and never logged. After the
 * server has dropped the connection (e.g. when the token expired), a plain {@code connect()} opens it again with a
 * current token.
 */
public abstract class OAuth2Store extends Store {

    private static final Logger LOG = Logger.getLogger(OAuth2Store.class.getName());
    static final String VENDOR = "io.github.oauth2mail";

    private volatile Store delegate;
    private volatile Instant tokenExpiresAt;

    protected OAuth2Store(Session session, URLName url) {
        super(session, url);
    }

    /** The protocol as people name it: {@code IMAP}, {@code POP3}. */
    abstract String protocolName();

    abstract String host(ConnectorSettings s);

    abstract int port(ConnectorSettings s);

    abstract Setting hostKey();

    abstract Setting portKey();

    /** The URL protocol of a connected store ({@code imaps}, {@code pop3}, ...). */
    abstract String urlProtocol(ConnectorSettings s);

    /** What to check when the server rejects a fresh token too. */
    /** The Exchange Online advice when the server rejects a fresh token too ({@code provider=entra}). */
    abstract String rejectedTokenAdvice();

    /**
     * Opens and connects the implementation's store as {@code mailbox} with {@code token}.
     *
     * @throws AuthenticationFailedException when the server did not accept the token (the caller retries once); its
     *                                       cause is a {@link StoreLoginException} when the adapter knows more
     */
    abstract Store connectDelegate(MailConnector connector, String mailbox, AccessToken token) throws MessagingException;

    /**
     * Connects as {@code user} (null or empty: the connector's mailbox; another mailbox only if it is allowed) to the
     * configured server; {@code host}/{@code port} may be omitted (null, -1) or must name that server. Unlike
     * {@code Service.connect}, never asks the Session's Authenticator and never falls back to the {@code user.name}
     * system property. The password is ignored.
     */
    @Override
    public synchronized void connect(String host, int port, String user, String password) throws MessagingException {
        if (isConnected()) {
            throw new IllegalStateException("already connected");
        }
        ConnectorSettings s = connector().settings();
        String h = host(s);
        int p = port(s);
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase(h) || port != -1 && port != p) {
            throw new AdapterMessagingException(MessageId.STORE_NOT_CONFIGURED_SERVER, protocolName() + " server "
                    + host + ":" + port + " is not the "
                    + "configured one (" + s.key(hostKey()) + "=" + h + ", " + s.key(portKey()) + "=" + p + "); the "
                    + "access token is only ever sent to the configured server");
        }
        String mailbox = Mailboxes.forStore(s, user);
        protocolConnect(h, p, mailbox, null);
        setURLName(new URLName(urlProtocol(s), h, p, null, mailbox, null));
        setConnected(true);
        notifyConnectionListeners(ConnectionEvent.OPENED);
    }

    @Override
    protected synchronized boolean protocolConnect(String host, int port, String user, String password)
            throws MessagingException {
        MailConnector connector = connector();
        ConnectorSettings s = connector.settings();
        String mailbox = Mailboxes.forStore(s, user);
        closeDelegate();
        try {
            connectWithRetry(connector, host, port, mailbox);
        } catch (MessagingException e) {
            StoreLoginException login = StoreLoginException.in(e);
            connector.storeConnected(protocolName(), mailbox, host, port, e, login == null ? null : login.oauthStatus());
            throw e;
        }
        connector.storeConnected(protocolName(), mailbox, host, port, null, null);
        return true;
    }

    /** Connects the delegate; when the server rejects the token, once more with a freshly fetched one. */
    private void connectWithRetry(MailConnector connector, String host, int port, String mailbox)
            throws MessagingException {
        TokenProvider tokens = connector.tokens();
        AccessToken token = token(tokens, mailbox);
        try {
            delegate = connectDelegate(connector, mailbox, token);
        } catch (AuthenticationFailedException first) {
            LOG.log(Level.INFO, "OAM221 {0} server {1}:{2} rejected the access token for mailbox {3} ({4}); fetching "
                    + "a fresh token and retrying once", new Object[] {protocolName(), host, String.valueOf(port),
                    mailbox, first.getMessage()});
            tokens.invalidate(mailbox, token);
            token = token(tokens, mailbox);
            try {
                delegate = connectDelegate(connector, mailbox, token);
            } catch (AuthenticationFailedException second) {
                throw new AdapterAuthenticationException(MessageId.STORE_TOKEN_REJECTED_TWICE, protocolName()
                        + " server " + host + ":" + port + " did not accept the access token for mailbox " + mailbox
                        + ", nor a freshly fetched one: " + second.getMessage() + ". Likely fix: "
                        + (connector.settings().provider() == ConnectorSettings.Provider.ENTRA ? rejectedTokenAdvice()
                        : "check that " + connector.settings().key(Setting.SCOPE) + " gives tokens this " + protocolName()
                        + " server accepts for mailbox " + mailbox + ", that the client may use that mailbox, and "
                        + "the server's log"), second);
            }
        }
        tokenExpiresAt = token.expiresAt();
    }

    /** The connector this store's Session carries (transport-provider mode finds it by name instead). */
    protected MailConnector connector() throws MessagingException {
        Object c = session.getProperties().get(MailConnector.SESSION_KEY);
        if (c instanceof MailConnector) {
            return (MailConnector) c;
        }
        throw new AdapterMessagingException(MessageId.STORE_NO_CONNECTOR, "this Session carries no OAuth2 mail "
                + "connector (" + MailConnector.SESSION_KEY + "): use the Session of the adapter's connection factory");
    }

    private static AccessToken token(TokenProvider tokens, String mailbox) throws MessagingException {
        try {
            return tokens.token(mailbox);
        } catch (TokenException e) {
            throw new AdapterMessagingException(e);
        }
    }

    /** Forwards the delegate's ALERT/NOTICE events to this store's listeners. */
    final Store listenedTo(Store store) {
        store.addStoreListener(e -> notifyStoreListeners(e.getMessageType(), e.getMessage()));
        return store;
    }

    static void closeQuietly(Store s) {
        if (s != null) {
            try {
                s.close();
            } catch (MessagingException e) {
                LOG.log(Level.FINE, "closing delegate store", e);
            }
        }
    }

    /** Expiry of the token of the current connection, or null before the first connect. */
    public Instant tokenExpiresAt() {
        return tokenExpiresAt;
    }

    @Override
    public boolean isConnected() {
        Store d = delegate;
        return d != null && d.isConnected();
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

    /** The connected implementation store. */
    final Store connected() {
        Store d = delegate;
        if (d == null) {
            throw new IllegalStateException("not connected");
        }
        return d;
    }

    @Override
    public synchronized void close() throws MessagingException {
        try {
            closeDelegate();
        } finally {
            super.close();
        }
    }

    private void closeDelegate() {
        Store d = delegate;
        delegate = null;
        closeQuietly(d);
    }
}
