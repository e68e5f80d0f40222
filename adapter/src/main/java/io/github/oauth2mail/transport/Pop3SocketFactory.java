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

/**
 * The {@code mail.pop3.socketFactory} of the delegate POP3 store: its first connection is the one the adapter's store
 * has just authenticated; every further one (the implementation reconnects after a folder closes its connection) is
 * opened and authenticated by the adapter ({@link Pop3Login}) with a current token, retried once with a freshly
 * fetched token when the server rejects it. Each is handed over through a {@link Pop3Socket}, so the implementation
 * never sees a token. Only the configured server is ever connected to.
 */
final class Pop3SocketFactory extends SocketFactory {

    private static final Logger LOG = Logger.getLogger(Pop3SocketFactory.class.getName());

    private final MailConnector connector;
    private final ConnectorSettings settings;
    private final String mailbox;
    private Pop3Login.Result first;

    Pop3SocketFactory(MailConnector connector, String mailbox) {
        this.connector = connector;
        this.settings = connector.settings();
        this.mailbox = mailbox;
    }

    /** The connection the store's own connect authenticated: the implementation's next socket gets it. */
    synchronized void firstConnection(Pop3Login.Result r) {
        discardUnused();
        first = r;
    }

    @Override
    public Socket createSocket() {
        return new Pop3Socket(this::login);
    }

    /** Closes the first connection if the implementation never took it. */
    synchronized void discardUnused() {
        if (first != null) {
            first.close();
            first = null;
        }
    }

    private Pop3Login.Result login(SocketAddress endpoint) throws IOException {
        if (!(endpoint instanceof InetSocketAddress)
                || !((InetSocketAddress) endpoint).getHostString().equalsIgnoreCase(settings.pop3Host())
                || ((InetSocketAddress) endpoint).getPort() != settings.pop3Port()) {
            throw new StoreLoginException(MessageId.STORE_NOT_CONFIGURED_SERVER, "POP3 connection to " + endpoint
                    + " refused: it is not the configured server (" + settings.key(Setting.POP3_HOST) + "="
                    + settings.pop3Host() + ", " + settings.key(Setting.POP3_PORT) + "=" + settings.pop3Port() + ")",
                    false, null, null);
        }
        synchronized (this) {
            if (first != null) {
                Pop3Login.Result r = first;
                first = null;
                return r;
            }
        }
        try {
            Pop3Login.Result r = laterConnection();
            report(null);
            return r;
        } catch (StoreLoginException e) {
            // the POP3 provider reports only its own wrapper to the app: the reason goes to the log, metrics, health
            LOG.log(Level.WARNING, "{0} (a later connection of the POP3 store of mailbox {1})",
                    new Object[] {e.getMessage(), mailbox});
            report(e);
            throw e;
        }
    }

    private Pop3Login.Result laterConnection() throws StoreLoginException {
        TokenProvider tokens = connector.tokens();
        AccessToken token = token(tokens);
        try {
            return open(token);
        } catch (StoreLoginException e) {
            if (!e.tokenRejected()) {
                throw e;
            }
            LOG.log(Level.INFO, "OAM221 POP3 server {0}:{1} rejected the access token for mailbox {2} on a new "
                    + "connection ({3}); fetching a fresh token and retrying once", new Object[] {
                    settings.pop3Host(), String.valueOf(settings.pop3Port()), mailbox, e.getMessage()});
            tokens.invalidate(mailbox, token);
            return open(token(tokens));
        }
    }

    private Pop3Login.Result open(AccessToken token) throws StoreLoginException {
        return Pop3Login.open(settings, connector.tls(), mailbox, token.value());
    }

    private AccessToken token(TokenProvider tokens) throws StoreLoginException {
        try {
            return tokens.token(mailbox);
        } catch (TokenException e) {
            throw new StoreLoginException(e);
        }
    }

    private void report(StoreLoginException failure) {
        connector.storeConnected("POP3", mailbox, settings.pop3Host(), settings.pop3Port(),
                failure == null ? null : new AdapterMessagingException(failure),
                failure == null ? null : failure.oauthStatus());
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
