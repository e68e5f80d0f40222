package io.github.oauth2mail.provider;

import io.github.oauth2mail.transport.AdapterSessions;
import io.github.oauth2mail.transport.MailConnector;
import io.github.oauth2mail.transport.OAuth2ImapStore;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;

/**
 * The {@code imap}/{@code imaps} store a server's own mail session names in transport-provider mode
 * ({@code mail.imap.class}): the connector's IMAP store ({@link OAuth2ImapStore}: a current token on every connect,
 * the connector's {@code imap.*} server), its connector found by the session's config name.
 */
public class ProviderStore extends OAuth2ImapStore {

    public ProviderStore(Session session, URLName url) {
        super(session, url);
    }

    @Override
    protected MailConnector connector() throws MessagingException {
        return AdapterSessions.connectorOf(ProviderConnectors.connectorSession(session));
    }
}
