package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.token.AccessToken;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenProvider;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Provider;
import jakarta.mail.Quota;
import jakarta.mail.QuotaAwareStore;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import jakarta.mail.event.ConnectionEvent;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code imap}/{@code imaps} store of a Session built by the adapter: authenticates with XOAUTH2 and a fresh
 * access token on every {@code connect}, and delegates everything else to the Jakarta Mail implementation's own IMAP
 * store. The Session must carry a {@link MailConnector} under {@link MailConnector#SESSION_KEY}. Host, port, TLS and
 * timeouts come from the connector's settings ({@code imap.*}); a password passed to {@code connect} is ignored. After
 * the server has dropped the connection (e.g. when the token expired), a plain {@code connect()} opens it again with
 * a fresh token.
 */
public final class OAuth2ImapStore extends Store implements QuotaAwareStore {

    private static final Logger LOG = Logger.getLogger(OAuth2ImapStore.class.getName());
    private static final String VENDOR = "io.github.oauth2mail";

    private volatile Store delegate;
    private volatile Instant tokenExpiresAt;

    public OAuth2ImapStore(Session session, URLName url) {
        super(session, url);
    }

    /** The providers to register on the adapter's Session ({@code session.setProvider(p)} for each). */
    public static List<Provider> providers() {
        String version = String.valueOf(OAuth2ImapStore.class.getPackage().getImplementationVersion());
        return List.of(new Provider(Provider.Type.STORE, "imap", OAuth2ImapStore.class.getName(), VENDOR, version),
                new Provider(Provider.Type.STORE, "imaps", OAuth2ImapStore.class.getName(), VENDOR, version));
    }

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
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase(s.imapHost())
                || port != -1 && port != s.imapPort()) {
            throw new MessagingException("OAM225 IMAP server " + host + ":" + port + " is not the configured one ("
                    + s.key(Setting.IMAP_HOST) + "=" + s.imapHost() + ", " + s.key(Setting.IMAP_PORT) + "="
                    + s.imapPort() + "); the access token is only ever sent to the configured server");
        }
        String h = s.imapHost();
        int p = s.imapPort();
        String mailbox = user == null || user.isEmpty() ? s.mailbox() : user;
        protocolConnect(h, p, mailbox, null);
        setURLName(new URLName(ImapDelegate.protocol(s), h, p, null, mailbox, null));
        setConnected(true);
        notifyConnectionListeners(ConnectionEvent.OPENED);
    }

    @Override
    protected synchronized boolean protocolConnect(String host, int port, String user, String password)
            throws MessagingException {
        MailConnector connector = connector();
        ConnectorSettings s = connector.settings();
        String mailbox = user == null || user.isEmpty() ? s.mailbox() : user;
        if (!s.mayUse(mailbox)) {
            throw new AuthenticationFailedException("OAM220 mailbox " + EnvelopeAddress.printable(mailbox)
                    + " may not be used with connector resource " + s.name() + ": it is neither "
                    + s.key(Setting.MAILBOX) + " nor listed in " + s.key(Setting.ALLOWED_MAILBOXES));
        }
        closeDelegate();
        TokenProvider tokens = connector.tokens();
        AccessToken token = token(tokens, mailbox);
        try {
            delegate = connectDelegate(s, host, port, mailbox, token);
        } catch (AuthenticationFailedException first) {
            LOG.log(Level.INFO, "OAM221 IMAP server {0}:{1} rejected the access token for mailbox {2} ({3}); fetching "
                    + "a fresh token and retrying once", new Object[] {host, String.valueOf(port), mailbox,
                    first.getMessage()});
            tokens.invalidate(mailbox, token);
            token = token(tokens, mailbox);
            try {
                delegate = connectDelegate(s, host, port, mailbox, token);
            } catch (AuthenticationFailedException second) {
                throw new AuthenticationFailedException("OAM222 IMAP server " + host + ":"
                        + port + " did not accept the access token for mailbox " + mailbox + ", nor a freshly fetched "
                        + "one: " + second.getMessage() + ". Likely fix: check the app's IMAP.AccessAsApp permission "
                        + "(with admin consent), the service principal in Exchange and the mailbox permission, and "
                        + "that the token's scope is for this server", second);
            }
        }
        tokenExpiresAt = token.expiresAt();
        return true;
    }

    private Store connectDelegate(ConnectorSettings s, String host, int port, String mailbox, AccessToken token)
            throws MessagingException {
        Store store = ImapDelegate.create(session, s);
        // server ALERTs and NOTICEs reach the app's listeners on this store
        store.addStoreListener(e -> notifyStoreListeners(e.getMessageType(), e.getMessage()));
        try {
            store.connect(host, port, mailbox, token.value());
            return store;
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
    }

    private MailConnector connector() throws MessagingException {
        Object c = session.getProperties().get(MailConnector.SESSION_KEY);
        if (c instanceof MailConnector) {
            return (MailConnector) c;
        }
        throw new MessagingException("OAM224 this Session carries no OAuth2 mail connector (" + MailConnector.SESSION_KEY
                + "): use the Session of the adapter's connection factory");
    }

    private static AccessToken token(TokenProvider tokens, String mailbox) throws MessagingException {
        try {
            return tokens.token(mailbox);
        } catch (TokenException e) {
            throw new MessagingException(e.getMessage(), e);
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

    @Override
    public Folder[] getPersonalNamespaces() throws MessagingException {
        return connected().getPersonalNamespaces();
    }

    @Override
    public Folder[] getUserNamespaces(String user) throws MessagingException {
        return connected().getUserNamespaces(user);
    }

    @Override
    public Folder[] getSharedNamespaces() throws MessagingException {
        return connected().getSharedNamespaces();
    }

    @Override
    public Quota[] getQuota(String root) throws MessagingException {
        return quotaStore().getQuota(root);
    }

    @Override
    public void setQuota(Quota quota) throws MessagingException {
        quotaStore().setQuota(quota);
    }

    private QuotaAwareStore quotaStore() throws MessagingException {
        Store d = connected();
        if (d instanceof QuotaAwareStore) {
            return (QuotaAwareStore) d;
        }
        throw new MessagingException("the IMAP implementation's store does not support QUOTA");
    }

    private Store connected() {
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

    private static void closeQuietly(Store s) {
        if (s != null) {
            try {
                s.close();
            } catch (MessagingException e) {
                LOG.log(Level.FINE, "closing IMAP delegate store", e);
            }
        }
    }
}
