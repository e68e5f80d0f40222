package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.token.TokenProvider;
import jakarta.mail.MessagingException;
import javax.net.ssl.SSLSocketFactory;

/**
 * What a Session built by the adapter carries in its properties (under {@link #SESSION_KEY}), so that its transport
 * and store reach their connector resource through the Session itself, with no static registry that could outlive a
 * redeploy. Implemented by the JCA layer (pooled) and by the non-managed default.
 */
public interface MailConnector {

    /** Session property key holding this object (a non-String value, invisible to {@code getProperty}). */
    String SESSION_KEY = "io.github.oauth2mail.connector";

    ConnectorSettings settings();

    TokenProvider tokens();

    /**
     * The TLS socket factory for the mail servers (JVM trust or {@code trust-store-path}). Implementations keep one;
     * the default builds it on every call (loading the trust store file), for tests only.
     */
    default SSLSocketFactory tls() {
        return TlsSupport.socketFactory(settings());
    }

    /**
     * Borrows an authenticated SMTP connection for {@code mailbox}; the caller must close the lease.
     *
     * @throws MessagingException when no connection can be had (pool exhausted past its wait, server refused, token)
     */
    SmtpLease lease(String mailbox) throws MessagingException;

    /**
     * An IMAP/POP3 store connected for {@code mailbox} ({@code failure} null), or failed to after its one retry with a
     * fresh token: recorded for operations (metrics, health and, when the token was rejected, the audit log's
     * {@code OAM406}), as SMTP sends are. The default does nothing.
     *
     * @param protocol    {@code IMAP} or {@code POP3}
     * @param oauthStatus the server's OAuth2 error status if it sent one (e.g. {@code 401}), else null
     */
    default void storeConnected(String protocol, String mailbox, String host, int port, MessagingException failure,
                                String oauthStatus) {
    }
}
