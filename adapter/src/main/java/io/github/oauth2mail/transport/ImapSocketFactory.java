package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.token.AccessToken;
import java.net.Socket;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@code mail.imap.socketFactory} of the delegate IMAP store: every connection the store opens (the store's own
 * and one per open folder) is opened and authenticated by the adapter ({@link ImapLogin}) with a current token for
 * one mailbox, and handed over as already authenticated ({@link PreauthenticatedSocket}). So the IMAP implementation
 * never sees a token, and every IMAP connection gets the adapter's TLS, TCP_NODELAY and SASL handling. A folder
 * connection whose token the server rejects is retried once with a freshly fetched one. Only the configured server is
 * ever connected to.
 */
final class ImapSocketFactory extends StoreSocketFactory<ImapLogin.Result> {

    private static final Logger LOG = Logger.getLogger(ImapSocketFactory.class.getName());

    private final SSLSocketFactory tls;
    private AccessToken next;

    /** {@code first}: the token for the first connection; later connections ask the connector for a current one. */
    ImapSocketFactory(MailConnector connector, String mailbox, AccessToken first) {
        // the server's IMAP provider reports only "connection failure" to the app (it drops the cause of a folder
        // connection's failure): the reason goes to the log, the metrics and health, as for the store's own connection
        super(connector, mailbox, new Server("IMAP", connector.settings().imapHost(), connector.settings().imapPort(),
                Setting.IMAP_HOST, Setting.IMAP_PORT), LOG, "folder connection",
                "{0} (a folder connection of mailbox {1}; the application sees the IMAP provider''s "
                + "\"connection failure\")");
        this.tls = connector.tls();
        this.next = first;
    }

    @Override
    public Socket createSocket() {
        return new PreauthenticatedSocket(this::login);
    }

    @Override
    ImapLogin.Result firstConnection() throws StoreLoginException {
        AccessToken first;
        synchronized (this) {
            first = next;
            next = null;
        }
        // the store's own connection: the store retries it once itself (OAM221/OAM222)
        return first == null ? null : open(first);
    }

    @Override
    ImapLogin.Result open(AccessToken token) throws StoreLoginException {
        return ImapLogin.open(settings, tls, mailbox, token.value());
    }
}
