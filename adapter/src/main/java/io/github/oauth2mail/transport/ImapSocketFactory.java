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
 * connection whose token the server rejects is retried once with a freshly fetched one; a folder connection that still
 * fails reaches the application with the adapter's reason ({@link RefusedImapSocket}). Only the configured server is
 * ever connected to.
 */
final class ImapSocketFactory extends StoreSocketFactory<ImapLogin.Result> {

    private static final Logger LOG = Logger.getLogger(ImapSocketFactory.class.getName());

    private final SSLSocketFactory tls;
    private AccessToken next;

    /** {@code first}: the token for the first connection; later connections ask the connector for a current one. */
    ImapSocketFactory(MailConnector connector, String mailbox, AccessToken first) {
        // the reason goes to the log, the metrics and health, as for the store's own connection; a folder being
        // opened also gets it as its exception's message (RefusedImapSocket)
        super(connector, mailbox, new Server("IMAP", connector.settings().imapHost(), connector.settings().imapPort(),
                Setting.IMAP_HOST, Setting.IMAP_PORT), LOG, "folder connection",
                "{0} (a folder connection of mailbox {1}; opening a folder, the application gets this reason as its "
                + "MessagingException''s message; on a new store connection, the IMAP provider''s \"failed to create "
                + "new store connection\")");
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

    /**
     * A folder being opened gets a {@link RefusedImapSocket}, whose {@code BYE} carries the reason to the application
     * (the provider drops the exception's). Any other new connection (the store's, when a folder has taken the
     * store's own) fails as before: the provider pools a new store connection before its first command, so a refused
     * one would stay in its pool, dead, where today every later command tries a new connection.
     */
    @Override
    ImapLogin.Result failedLater(StoreLoginException failure) throws StoreLoginException {
        if (openingFolder()) {
            return RefusedImapSocket.result(failure);
        }
        throw failure;
    }

    /**
     * Whether this connection is the one the provider's store opens for a folder ({@code IMAPStore.getProtocol},
     * called only by {@code IMAPFolder.open}); found by name, as the adapter links against no provider class. An
     * implementation that names it otherwise gets the exception, as before.
     */
    private static boolean openingFolder() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> "getProtocol".equals(f.getMethodName())
                && f.getClassName().endsWith(".imap.IMAPStore")));
    }

    @Override
    ImapLogin.Result open(AccessToken token) throws StoreLoginException {
        return ImapLogin.open(settings, tls, mailbox, token.value());
    }
}
