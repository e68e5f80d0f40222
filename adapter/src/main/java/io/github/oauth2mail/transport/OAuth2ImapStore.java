package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterAuthenticationException;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.token.AccessToken;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Provider;
import jakarta.mail.Quota;
import jakarta.mail.QuotaAwareStore;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import java.util.List;

/**
 * The {@code imap}/{@code imaps} store of a Session built by the adapter. Every IMAP connection (the store's and one
 * per open folder) is opened and authenticated by the adapter itself ({@link ImapLogin}: TLS with the server identity
 * checked, XOAUTH2 or OAUTHBEARER with the line-length and error-challenge handling, a current token) and handed to
 * the Jakarta Mail implementation's own IMAP store as pre-authenticated; that store does everything else. The token
 * never reaches the implementation.
 */
public class OAuth2ImapStore extends OAuth2Store implements QuotaAwareStore {

    public OAuth2ImapStore(Session session, URLName url) {
        super(session, url);
    }

    /** The providers to register on the adapter's Session ({@code session.setProvider(p)} for each). */
    public static List<Provider> providers() {
        String version = String.valueOf(OAuth2ImapStore.class.getPackage().getImplementationVersion());
        return List.of(new Provider(Provider.Type.STORE, "imap", OAuth2ImapStore.class.getName(), VENDOR, version),
                new Provider(Provider.Type.STORE, "imaps", OAuth2ImapStore.class.getName(), VENDOR, version));
    }

    @Override
    String protocolName() {
        return "IMAP";
    }

    @Override
    String host(ConnectorSettings s) {
        return s.imapHost();
    }

    @Override
    int port(ConnectorSettings s) {
        return s.imapPort();
    }

    @Override
    Setting hostKey() {
        return Setting.IMAP_HOST;
    }

    @Override
    Setting portKey() {
        return Setting.IMAP_PORT;
    }

    @Override
    String urlProtocol(ConnectorSettings s) {
        return s.imapTls() == ConnectorSettings.Tls.IMPLICIT ? "imaps" : "imap";
    }

    @Override
    String rejectedTokenAdvice() {
        return "check the app's IMAP.AccessAsApp permission (with admin consent), the service principal in Exchange "
                + "and the mailbox permission, and that the token's scope is for this server";
    }

    @Override
    Store connectDelegate(MailConnector connector, String mailbox, AccessToken token) throws MessagingException {
        ConnectorSettings s = connector.settings();
        ImapSocketFactory sockets = new ImapSocketFactory(connector, mailbox, token);
        Store store = listenedTo(ImapDelegate.create(session, s, sockets));
        try {
            // already authenticated by the socket factory: the implementation gets a PREAUTH greeting, no password
            store.connect(s.imapHost(), s.imapPort(), mailbox, "");
            return store;
        } catch (MessagingException e) {
            closeQuietly(store);
            StoreLoginException login = StoreLoginException.in(e);
            if (login == null) {
                throw e;
            }
            if (login.tokenRejected()) {
                throw new AdapterAuthenticationException(login);
            }
            throw new AdapterMessagingException(login);
        } catch (RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
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
}
