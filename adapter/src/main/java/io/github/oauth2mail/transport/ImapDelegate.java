package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Properties;
import javax.net.SocketFactory;

/**
 * Makes the store that really speaks IMAP: the Jakarta Mail implementation's own {@code imap} provider (Angus Mail on
 * every supported server), found at run time through the Session, never by class reference. Its connections come from
 * the adapter's {@link ImapSocketFactory} already authenticated (TLS included), so it is configured for plain
 * {@code imap}, with no STARTTLS, no login mechanism of its own and no fallback to a socket of its own.
 */
final class ImapDelegate {

    private ImapDelegate() {
    }

    /** A new, unconnected delegate store whose connections come from {@code sockets}. */
    static Store create(Session appSession, ConnectorSettings s, SocketFactory sockets) throws NoSuchProviderException {
        return Delegates.store(appSession, "imap", p -> configure(p, s, sockets));
    }

    private static void configure(Properties p, ConnectorSettings s, SocketFactory sockets) {
        String k = "mail.imap.";
        p.put(k + "host", s.imapHost());
        p.put(k + "port", String.valueOf(s.imapPort()));
        p.put(k + "socketFactory", sockets);
        // never fall back to a plain socket of the implementation's own (it would then try to log in by itself)
        p.put(k + "socketFactory.fallback", "false");
        p.remove(k + "socketFactory.class");
        p.remove(k + "socketFactory.port");
        p.remove(k + "ssl.socketFactory");
        p.put(k + "ssl.enable", "false");
        p.put(k + "starttls.enable", "false");
        p.put(k + "starttls.required", "false");
        p.put(k + "sasl.enable", "false");
        p.put(k + "auth.plain.disable", "true");
        p.put(k + "auth.login.disable", "true");
        p.put(k + "auth.ntlm.disable", "true");
        p.put(k + "auth.xoauth2.disable", "true");
        p.remove(k + "proxy.host");
        p.remove(k + "socks.host");
        p.put(k + "connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
        p.put(k + "timeout", String.valueOf(s.readTimeout().toMillis()));
        p.put(k + "writetimeout", String.valueOf(s.readTimeout().toMillis()));
    }
}
