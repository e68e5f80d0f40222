package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Properties;

/**
 * Makes the store that really speaks IMAP: the Jakarta Mail implementation's own {@code imap}/{@code imaps} provider
 * (Angus Mail on every supported server), found at run time through the Session, never by class reference. It gets a
 * private Session whose properties are the app Session's plus the ones below, derived from the settings, so the
 * adapter's Session factory needs to set no {@code mail.imap*} property.
 */
final class ImapDelegate {

    private ImapDelegate() {
    }

    /** {@code imaps} for implicit TLS, {@code imap} (with STARTTLS required) otherwise. */
    static String protocol(ConnectorSettings s) {
        return s.imapTls() == ConnectorSettings.Tls.IMPLICIT ? "imaps" : "imap";
    }

    /**
     * The properties the delegate needs, over a copy of the app Session's (which keeps the {@link MailConnector}).
     * The token travels as the password of {@code connect}, so nothing secret is in here.
     */
    static Properties properties(Properties appSession, ConnectorSettings s) {
        Properties p = new Properties();
        p.putAll(appSession);
        String protocol = protocol(s);
        String k = "mail." + protocol + ".";
        p.put(k + "host", s.imapHost());
        p.put(k + "port", String.valueOf(s.imapPort()));
        p.put(k + "auth.mechanisms", "XOAUTH2");
        p.put(k + "auth.xoauth2.disable", "false");
        p.put(k + "auth.plain.disable", "true");
        p.put(k + "auth.login.disable", "true");
        p.put(k + "auth.ntlm.disable", "true");
        p.put(k + "sasl.enable", "false");
        p.put(k + "ssl.checkserveridentity", "true");
        p.put(k + "ssl.socketFactory", TlsSupport.socketFactory(s));
        if ("imap".equals(protocol)) {
            p.put(k + "starttls.enable", "true");
            p.put(k + "starttls.required", "true");
        } else {
            p.put(k + "ssl.enable", "true");
        }
        p.put(k + "connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
        p.put(k + "timeout", String.valueOf(s.readTimeout().toMillis()));
        // never let the implementation's own trace show AUTHENTICATE lines (the token)
        p.put("mail.debug.auth", "false");
        return p;
    }

    /** A new, unconnected delegate store. */
    static Store create(Session appSession, ConnectorSettings s) throws NoSuchProviderException {
        Session session = Session.getInstance(properties(appSession.getProperties(), s));
        session.setDebugOut(appSession.getDebugOut());
        session.setDebug(appSession.getDebug());
        String protocol = protocol(s);
        for (Provider p : session.getProviders()) {
            if (p.getType() == Provider.Type.STORE && protocol.equals(p.getProtocol()) && !isOurs(p)) {
                return session.getStore(p);
            }
        }
        throw new NoSuchProviderException("OAM223 no " + protocol + " store provider of the Jakarta Mail "
                + "implementation (e.g. Angus Mail) is visible; the adapter delegates IMAP to it");
    }

    private static boolean isOurs(Provider p) {
        return p.getClassName().startsWith(ImapDelegate.class.getPackageName() + ".");
    }
}
