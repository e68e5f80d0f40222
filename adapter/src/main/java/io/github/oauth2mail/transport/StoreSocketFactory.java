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
 * What the IMAP and POP3 store socket factories ({@link ImapSocketFactory}, {@link Pop3SocketFactory}) share: only
 * the configured server is ever connected to; the store's first connection is whatever the subclass holds for it
 * ({@link #firstConnection()}); every further one is opened with a current token for the one mailbox, retried once
 * with a freshly fetched token when the server rejects it, and its outcome is reported to the connector (metrics,
 * health) and, when it fails, to the log, because the Jakarta Mail provider hands the application only its own
 * wrapper.
 *
 * @param <R> the authenticated connection the protocol's login returns
 */
abstract class StoreSocketFactory<R> extends SocketFactory {

    /** The server the store may connect to, with the settings naming it (for messages). */
    static final class Server {
        final String protocol;
        final String host;
        final int port;
        final Setting hostKey;
        final Setting portKey;

        Server(String protocol, String host, int port, Setting hostKey, Setting portKey) {
            this.protocol = protocol;
            this.host = host;
            this.port = port;
            this.hostKey = hostKey;
            this.portKey = portKey;
        }
    }

    final MailConnector connector;
    final ConnectorSettings settings;
    final String mailbox;
    private final Server server;
    private final Logger log;
    private final String laterConnection;
    private final String laterFailure;

    /**
     * @param log             the subclass's logger (the messages keep their logger name)
     * @param laterConnection how the OAM221 retry message names a further connection, e.g. "folder connection"
     * @param laterFailure    the log pattern for a failed further connection: {0} the failure, {1} the mailbox
     */
    StoreSocketFactory(MailConnector connector, String mailbox, Server server, Logger log, String laterConnection,
            String laterFailure) {
        this.connector = connector;
        this.settings = connector.settings();
        this.mailbox = mailbox;
        this.server = server;
        this.log = log;
        this.laterConnection = laterConnection;
        this.laterFailure = laterFailure;
    }

    /** The store's own (first) connection, or null when it has been taken: the store retries that one itself. */
    abstract R firstConnection() throws StoreLoginException;

    /** Opens and authenticates a connection with {@code token}. */
    abstract R open(AccessToken token) throws StoreLoginException;

    /** Opens and authenticates the connection to {@code endpoint}, which must be the configured server. */
    final R login(SocketAddress endpoint) throws IOException {
        if (!(endpoint instanceof InetSocketAddress)
                || !((InetSocketAddress) endpoint).getHostString().equalsIgnoreCase(server.host)
                || ((InetSocketAddress) endpoint).getPort() != server.port) {
            throw new StoreLoginException(MessageId.STORE_NOT_CONFIGURED_SERVER, server.protocol + " connection to "
                    + endpoint + " refused: it is not the configured server (" + settings.key(server.hostKey) + "="
                    + server.host + ", " + settings.key(server.portKey) + "=" + server.port + ")", false, null, null);
        }
        R first = firstConnection();
        if (first != null) {
            return first;
        }
        try {
            R r = laterConnection();
            report(null);
            return r;
        } catch (StoreLoginException e) {
            log.log(Level.WARNING, laterFailure, new Object[] {e.getMessage(), mailbox});
            report(e);
            return failedLater(e);
        }
    }

    /**
     * What a further connection that failed (already logged and reported) gives the provider: by default the failure
     * is thrown; a subclass may instead return a connection that tells the provider why, when the provider would drop
     * the exception's reason.
     */
    R failedLater(StoreLoginException failure) throws StoreLoginException {
        throw failure;
    }

    private R laterConnection() throws StoreLoginException {
        TokenProvider tokens = connector.tokens();
        AccessToken token = token(tokens);
        try {
            return open(token);
        } catch (StoreLoginException e) {
            if (!e.tokenRejected()) {
                throw e;
            }
            log.log(Level.INFO, "OAM221 " + server.protocol + " server {0}:{1} rejected the access token for mailbox "
                    + "{2} on a new " + laterConnection + " ({3}); fetching a fresh token and retrying once",
                    new Object[] {server.host, String.valueOf(server.port), mailbox, e.getMessage()});
            tokens.invalidate(mailbox, token);
            return open(token(tokens));
        }
    }

    private AccessToken token(TokenProvider tokens) throws StoreLoginException {
        try {
            return tokens.token(mailbox);
        } catch (TokenException e) {
            throw new StoreLoginException(e);
        }
    }

    private void report(StoreLoginException failure) {
        connector.storeConnected(server.protocol, mailbox, server.host, server.port,
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
