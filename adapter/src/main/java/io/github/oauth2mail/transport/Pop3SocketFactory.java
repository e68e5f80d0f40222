package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.token.AccessToken;
import java.net.Socket;
import java.util.logging.Logger;

/**
 * The {@code mail.pop3.socketFactory} of the delegate POP3 store: its first connection is the one the adapter's store
 * has just authenticated; every further one (the implementation reconnects after a folder closes its connection) is
 * opened and authenticated by the adapter ({@link Pop3Login}) with a current token, retried once with a freshly
 * fetched token when the server rejects it. Each is handed over through a {@link Pop3Socket}, so the implementation
 * never sees a token. Only the configured server is ever connected to.
 */
final class Pop3SocketFactory extends StoreSocketFactory<Pop3Login.Result> {

    private static final Logger LOG = Logger.getLogger(Pop3SocketFactory.class.getName());

    private Pop3Login.Result first;

    Pop3SocketFactory(MailConnector connector, String mailbox) {
        // the POP3 provider reports only its own wrapper to the app: the reason goes to the log, metrics, health
        super(connector, mailbox, new Server("POP3", connector.settings().pop3Host(), connector.settings().pop3Port(),
                Setting.POP3_HOST, Setting.POP3_PORT), LOG, "connection",
                "{0} (a later connection of the POP3 store of mailbox {1})");
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

    @Override
    synchronized Pop3Login.Result firstConnection() {
        Pop3Login.Result r = first;
        first = null;
        return r;
    }

    @Override
    Pop3Login.Result open(AccessToken token) throws StoreLoginException {
        return Pop3Login.open(settings, connector.tls(), mailbox, token.value());
    }
}
