package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterAuthenticationException;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.AccessToken;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@code pop3}/{@code pop3s} store of a Session built by the adapter: XOAUTH2 with a current token on every
 * connect, spoken by the Jakarta Mail implementation's own POP3 store (Angus Mail, through the public Session API
 * only) with TLS required and the server identity checked. The token goes on its own line after {@code AUTH XOAUTH2}
 * (RFC 5034 limits the AUTH command line to 255 octets; Exchange Online documents this form), and a server's OAuth2
 * error challenge is decoded into the exception. POP3 supports XOAUTH2 only. Angus re-authenticates each folder it
 * opens with the connect's token: after the token has expired, close and connect the store again.
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
        String server = s.pop3Host() + ":" + s.pop3Port();
        if (s.saslMechanism() != ConnectorSettings.Sasl.XOAUTH2) {
            throw new AdapterMessagingException(MessageId.POP3_XOAUTH2_ONLY, "the POP3 store authenticates with XOAUTH2 only, but "
                    + s.key(Setting.SASL_MECHANISM) + "=" + s.saslMechanism() + "; use IMAP, or XOAUTH2");
        }
        Store store = listenedTo(Delegates.store(session, "pop3", p -> configure(p, s, connector.tls())));
        try {
            store.connect(s.pop3Host(), s.pop3Port(), mailbox, token.value());
            return store;
        } catch (AuthenticationFailedException e) {
            closeQuietly(store);
            String reply = String.valueOf(e.getMessage());
            if (reply.contains("No authentication mechanisms supported")) {
                throw new AdapterMessagingException(MessageId.STORE_MECHANISM_NOT_OFFERED, "POP3 server " + server
                        + " does not offer SASL XOAUTH2 (CAPA); check that POP3 with OAuth2 is enabled on this server "
                        + "and port", e);
            }
            OAuthErrorChallenge error = reply.matches("[A-Za-z0-9+/=\\s]{8,}") ? OAuthErrorChallenge.decode(reply) : null;
            String status = error == null ? null : error.status();
            String text = "POP3 server " + server + " did not accept the XOAUTH2 access token for mailbox "
                    + mailbox + ": "
                    + (status != null ? "OAuth2 error: " + error : reply.replace(token.value(), "<redacted>"));
            throw new AdapterAuthenticationException(MessageId.STORE_TOKEN_REJECTED, text,
                    new StoreLoginException(MessageId.STORE_TOKEN_REJECTED, text, true, status, null));
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(store);
            throw new AdapterMessagingException(connectFailure(e), "cannot open POP3 connection to " + server + ": "
                    + String.valueOf(e.getMessage()).replace(token.value(), "<redacted>") + " (TLS: "
                    + s.key(Setting.POP3_TLS) + "=" + s.pop3Tls().name().toLowerCase(java.util.Locale.ROOT)
                    + "; the server certificate must be trusted and name " + s.pop3Host() + ")", e);
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

    /** The implementation's {@code pop3} store's settings, over the app Session's properties. */
    private static void configure(Properties p, ConnectorSettings s, SSLSocketFactory tls) {
        String k = "mail.pop3.";
        boolean implicit = s.pop3Tls() == ConnectorSettings.Tls.IMPLICIT;
        p.put(k + "host", s.pop3Host());
        p.put(k + "port", String.valueOf(s.pop3Port()));
        p.put(k + "ssl.enable", String.valueOf(implicit));
        p.put(k + "starttls.enable", String.valueOf(!implicit));
        p.put(k + "starttls.required", String.valueOf(!implicit));
        p.put(k + "ssl.checkserveridentity", "true");
        p.put(k + "ssl.socketFactory", tls);
        p.put(k + "socketFactory.fallback", "false");
        p.put(k + "auth.mechanisms", "XOAUTH2");
        p.put(k + "auth.xoauth2.disable", "false");
        p.put(k + "auth.xoauth2.two.line.authentication.format", "true");
        p.put(k + "auth.plain.disable", "true");
        p.put(k + "auth.login.disable", "true");
        p.put(k + "auth.ntlm.disable", "true");
        p.put(k + "apop.enable", "false");
        p.put(k + "connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
        p.put(k + "timeout", String.valueOf(s.readTimeout().toMillis()));
        p.put(k + "writetimeout", String.valueOf(s.readTimeout().toMillis()));
    }
}
