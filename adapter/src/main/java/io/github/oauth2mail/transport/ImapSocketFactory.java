package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.AccessToken;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@code mail.imap.socketFactory} of the delegate IMAP store: every connection the store opens (the store's own
 * and one per open folder) is opened and authenticated by the adapter ({@link ImapLogin}) with a current token for
 * one mailbox, and handed over as already authenticated ({@link PreauthenticatedSocket}). So the IMAP implementation
 * never sees a token, and every IMAP connection gets the adapter's TLS, TCP_NODELAY and SASL handling. A folder
 * connection whose token the server rejects is retried once with a freshly fetched one. Only the configured server is
 * ever connected to.
 */
final class ImapSocketFactory extends SocketFactory {

    private static final Logger LOG = Logger.getLogger(ImapSocketFactory.class.getName());

    private final ConnectorSettings settings;
    private final SSLSocketFactory tls;
    private final TokenProvider tokens;
    private final String mailbox;
    private final MailConnector connector;
    private AccessToken next;

    /** {@code first}: the token for the first connection; later connections ask {@code tokens} for a current one. */
    ImapSocketFactory(MailConnector connector, String mailbox, AccessToken first) {
        this.connector = connector;
        this.settings = connector.settings();
        this.tls = connector.tls();
        this.tokens = connector.tokens();
        this.mailbox = mailbox;
        this.next = first;
    }

    @Override
    public Socket createSocket() {
        return new PreauthenticatedSocket(this::login);
    }

    private ImapLogin.Result login(SocketAddress endpoint) throws IOException {
        if (!(endpoint instanceof InetSocketAddress)
                || !((InetSocketAddress) endpoint).getHostString().equalsIgnoreCase(settings.imapHost())
                || ((InetSocketAddress) endpoint).getPort() != settings.imapPort()) {
            throw new StoreLoginException(MessageId.STORE_NOT_CONFIGURED_SERVER, "IMAP connection to " + endpoint
                    + " refused: it is not the configured server (" + settings.key(Setting.IMAP_HOST) + "="
                    + settings.imapHost() + ", "
                    + settings.key(Setting.IMAP_PORT) + "=" + settings.imapPort() + ")", false, null, null);
        }
        AccessToken first;
        synchronized (this) {
            first = next;
            next = null;
        }
        if (first != null) {
            // the store's own connection: the store retries it once itself (OAM221/OAM222)
            return open(first);
        }
        // a further connection (a folder the app opens): the same one retry with a fresh token, here
        try {
            ImapLogin.Result r = folderConnection();
            report(null);
            return r;
        } catch (StoreLoginException e) {
            // the server's IMAP provider reports only "connection failure" to the app (it drops this cause): the
            // reason goes to the log, the metrics and health, as for the store's own connection
            LOG.log(Level.WARNING, "{0} (a folder connection of mailbox {1}; the application sees the IMAP "
                    + "provider''s \"connection failure\")", new Object[] {e.getMessage(), mailbox});
            report(e);
            throw e;
        }
    }

    private ImapLogin.Result folderConnection() throws StoreLoginException {
        AccessToken token = token();
        try {
            return open(token);
        } catch (StoreLoginException e) {
            if (!e.tokenRejected()) {
                throw e;
            }
            LOG.log(Level.INFO, "OAM221 IMAP server {0}:{1} rejected the access token for mailbox {2} on a new "
                    + "folder connection ({3}); fetching a fresh token and retrying once", new Object[] {
                    settings.imapHost(), String.valueOf(settings.imapPort()), mailbox, e.getMessage()});
            tokens.invalidate(mailbox, token);
            return open(token());
        }
    }

    private void report(StoreLoginException failure) {
        connector.storeConnected("IMAP", mailbox, settings.imapHost(), settings.imapPort(),
                failure == null ? null : new AdapterMessagingException(failure),
                failure == null ? null : failure.oauthStatus());
    }

    private ImapLogin.Result open(AccessToken token) throws StoreLoginException {
        return ImapLogin.open(settings, tls, mailbox, token.value());
    }

    private AccessToken token() throws StoreLoginException {
        try {
            return tokens.token(mailbox);
        } catch (TokenException e) {
            throw new StoreLoginException(e);
        }
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return createSocket(address, port);
    }
}
