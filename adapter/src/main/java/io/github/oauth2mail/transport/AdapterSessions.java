package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import java.util.Properties;

/**
 * Builds the {@link Session} an application receives from the connector resource. Cheap (no network, no token, no
 * trust store loading): servers build one on every lookup. The Session carries its {@link MailConnector} and uses the
 * adapter's XOAUTH2 transport and stores ({@code imap}/{@code imaps}, {@code pop3}/{@code pop3s}), which require TLS,
 * check the server identity and use finite timeouts.
 */
public final class AdapterSessions {

    private AdapterSessions() {
    }

    public static Session create(MailConnector connector) {
        ConnectorSettings s = connector.settings();
        Properties p = new Properties();
        p.setProperty("mail.from", s.mailbox());
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.debug", String.valueOf(s.mailDebug()));
        p.setProperty("mail.debug.auth", "false");
        for (String proto : new String[] {"smtp", "smtps"}) {
            p.setProperty("mail." + proto + ".host", s.smtpHost());
            p.setProperty("mail." + proto + ".port", String.valueOf(s.smtpPort()));
            // Service.connect falls back to the JVM's user.name when no user is set: the mailbox is the user
            p.setProperty("mail." + proto + ".user", s.mailbox());
            p.setProperty("mail." + proto + ".auth", "true");
            p.setProperty("mail." + proto + ".auth.mechanisms", s.saslMechanism().name());
            timeouts(p, proto, s);
        }
        boolean smtpStartTls = s.smtpTls() == ConnectorSettings.Tls.STARTTLS;
        p.setProperty("mail.smtp.starttls.enable", String.valueOf(smtpStartTls));
        p.setProperty("mail.smtp.starttls.required", String.valueOf(smtpStartTls));
        p.setProperty("mail.smtp.ssl.enable", String.valueOf(!smtpStartTls));
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");

        // the stores take host, port, TLS and timeouts from the settings and configure the implementation's store
        // themselves (ImapDelegate, OAuth2Pop3Store); these are for apps that read them
        p.setProperty("mail.store.protocol", s.imapTls() == ConnectorSettings.Tls.IMPLICIT ? "imaps" : "imap");
        for (String proto : new String[] {"imap", "imaps"}) {
            p.setProperty("mail." + proto + ".host", s.imapHost());
            p.setProperty("mail." + proto + ".port", String.valueOf(s.imapPort()));
            p.setProperty("mail." + proto + ".user", s.mailbox());
        }
        p.put(MailConnector.SESSION_KEY, connector);

        Session session = Session.getInstance(p, new AdapterAuthenticator());
        try {
            for (String proto : new String[] {"smtp", "smtps"}) {
                session.setProvider(new AdapterProvider(Provider.Type.TRANSPORT, proto, OAuth2SmtpTransport.class.getName()));
            }
            for (String proto : new String[] {"imap", "imaps"}) {
                session.setProvider(new AdapterProvider(Provider.Type.STORE, proto, OAuth2ImapStore.class.getName()));
            }
            for (String proto : new String[] {"pop3", "pop3s"}) {
                session.setProvider(new AdapterProvider(Provider.Type.STORE, proto, OAuth2Pop3Store.class.getName()));
            }
        } catch (NoSuchProviderException e) {
            throw new IllegalStateException("cannot register the adapter's mail providers", e);
        }
        return session;
    }

    /** The connector a Session built here carries, or null for any other Session. */
    public static MailConnector connectorOf(Session session) {
        Object c = session.getProperties().get(MailConnector.SESSION_KEY);
        return c instanceof MailConnector ? (MailConnector) c : null;
    }

    private static void timeouts(Properties p, String proto, ConnectorSettings s) {
        p.setProperty("mail." + proto + ".connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
        p.setProperty("mail." + proto + ".timeout", String.valueOf(s.readTimeout().toMillis()));
        p.setProperty("mail." + proto + ".writetimeout", String.valueOf(s.readTimeout().toMillis()));
    }
}
