package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterAuthenticationException;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.AccessToken;
import jakarta.mail.MessagingException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Properties;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;

/**
 * The {@code pop3}/{@code pop3s} store of a Session built by the adapter. Every POP3 connection (the store's, and each
 * one the implementation opens again after a folder closed its own) is opened and authenticated by the adapter itself
 * ({@link Pop3Login}: TLS, implicit or STLS, with the server identity checked; {@code AUTH XOAUTH2} or
 * {@code OAUTHBEARER} with RFC 5034's line limit and the OAuth2 error challenge acknowledged; a current token) and
 * handed to the Jakarta Mail implementation's own POP3 store (Angus Mail, found through the public Session API only)
 * as already authenticated ({@link Pop3Handover}). A token the server rejects, in whatever form, is noticed at
 * {@code connect}: invalidated, refetched and retried once. The token never reaches the implementation.
 */
public class OAuth2Pop3Store extends OAuth2Store {

    public OAuth2Pop3Store(Session session, URLName url) {
        super(session, url);
    }

    /** The providers to register on the adapter's Session ({@code session.setProvider(p)} for each). */
    public static List<Provider> providers() {
        String version = String.valueOf(OAuth2Pop3Store.class.getPackage().getImplementationVersion());
        return List.of(new Provider(Provider.Type.STORE, "pop3", OAuth2Pop3Store.class.getName(), VENDOR, version),
                new Provider(Provider.Type.STORE, "pop3s", OAuth2Pop3Store.class.getName(), VENDOR, version));
    }

    @Override
    String protocolName() {
        return "POP3";
    }

    @Override
    String host(ConnectorSettings s) {
        return s.pop3Host();
    }

    @Override
    int port(ConnectorSettings s) {
        return s.pop3Port();
    }

    @Override
    Setting hostKey() {
        return Setting.POP3_HOST;
    }

    @Override
    Setting portKey() {
        return Setting.POP3_PORT;
    }

    @Override
    String urlProtocol(ConnectorSettings s) {
        return s.pop3Tls() == ConnectorSettings.Tls.IMPLICIT ? "pop3s" : "pop3";
    }

    @Override
    String rejectedTokenAdvice() {
        return "check the app's POP.AccessAsApp permission (with admin consent), the service principal in Exchange "
                + "and the mailbox permission, that POP3 is enabled for the mailbox, and that the token's scope is for "
                + "this server";
    }

    @Override
    Store connectDelegate(MailConnector connector, String mailbox, AccessToken token) throws MessagingException {
        ConnectorSettings s = connector.settings();
        Pop3SocketFactory sockets = new Pop3SocketFactory(connector, mailbox);
        // the implementation's own POP3 trace would show message content: the adapter traces POP3 itself
        Store store = listenedTo(Delegates.store(session, "pop3", p -> configure(p, s, sockets), false));
        try {
            sockets.firstConnection(Pop3Login.open(s, connector.tls(), mailbox, token.value()));
        } catch (StoreLoginException e) {
            if (e.tokenRejected()) {
                throw new AdapterAuthenticationException(e);
            }
            throw new AdapterMessagingException(e);
        }
        try {
            // already authenticated: the implementation's USER/PASS are answered by the adapter, the password unused
            store.connect(s.pop3Host(), s.pop3Port(), mailbox, "");
            return store;
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(store);
            if (e instanceof MailFailure) {
                throw e;
            }
            StoreLoginException later = StoreLoginException.in(e);
            if (later != null) {
                throw new AdapterMessagingException(later);
            }
            throw new AdapterMessagingException(connectFailure(e), "POP3 server " + s.pop3Host() + ":"
                    + s.pop3Port() + " failed after the adapter's login: " + e.getMessage(), e);
        } finally {
            sockets.discardUnused();
        }
    }

    /** Which connect failure {@code e} is, by the exception types in its cause chain. */
    private static MessageId connectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return MessageId.STORE_TLS_FAILED;
            }
            if (t instanceof SocketTimeoutException) {
                return MessageId.STORE_NO_ANSWER;
            }
        }
        return MessageId.STORE_CONNECT_FAILED;
    }

    /**
     * The implementation's {@code pop3} store's settings, over the app Session's properties: plain POP3 over the
     * adapter's sockets (TLS is the adapter's), no CAPA-driven STLS, and USER/PASS as its only login.
     */
    private static void configure(Properties p, ConnectorSettings s, SocketFactory sockets) {
        String k = "mail.pop3.";
        p.put("mail.debug", "false");
        p.put(k + "host", s.pop3Host());
        p.put(k + "port", String.valueOf(s.pop3Port()));
        p.put(k + "socketFactory", sockets);
        // never fall back to a plain socket of the implementation's own (it would then try to log in by itself)
        p.put(k + "socketFactory.fallback", "false");
        p.remove(k + "socketFactory.class");
        p.remove(k + "socketFactory.port");
        p.remove(k + "ssl.socketFactory");
        p.remove(k + "ssl.socketFactory.class");
        p.remove(k + "proxy.host");
        p.remove(k + "socks.host");
        p.remove(k + "localaddress");
        p.put(k + "ssl.enable", "false");
        p.put(k + "starttls.enable", "false");
        p.put(k + "starttls.required", "false");
        p.put(k + "auth.mechanisms", "LOGIN");
        p.put(k + "apop.enable", "false");
        p.put(k + "connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
        p.put(k + "timeout", String.valueOf(s.readTimeout().toMillis()));
        p.put(k + "writetimeout", String.valueOf(s.readTimeout().toMillis()));
    }
}
