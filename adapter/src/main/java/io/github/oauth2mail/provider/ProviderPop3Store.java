package io.github.oauth2mail.provider;

import io.github.oauth2mail.transport.AdapterSessions;
import io.github.oauth2mail.transport.MailConnector;
import io.github.oauth2mail.transport.OAuth2Pop3Store;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;

/**
 * The {@code pop3}/{@code pop3s} store a server's own mail session names in transport-provider mode
 * ({@code mail.pop3s.class}, {@code mail.pop3.class}): the connector's POP3 store ({@link OAuth2Pop3Store}), its
 * connector found by the session's config name.
 */
public class ProviderPop3Store extends OAuth2Pop3Store {

    public ProviderPop3Store(Session session, URLName url) {
        super(session, url);
    }

    @Override
    protected MailConnector connector() throws MessagingException {
        return AdapterSessions.connectorOf(ProviderConnectors.connectorSession(session));
    }
}
