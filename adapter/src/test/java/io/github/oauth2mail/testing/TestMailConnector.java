package io.github.oauth2mail.testing;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.transport.MailConnector;
import io.github.oauth2mail.transport.OAuth2ImapStore;
import io.github.oauth2mail.transport.SmtpConnection;
import io.github.oauth2mail.transport.SmtpLease;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import java.util.Properties;

/** An unpooled {@link MailConnector} for tests: each lease is a new {@link SmtpConnection}. */
public final class TestMailConnector implements MailConnector {

    private final ConnectorSettings settings;
    private final TokenProvider tokens;
    private final java.util.List<String> storeOutcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TestMailConnector(ConnectorSettings settings, TokenProvider tokens) {
        this.settings = settings;
        this.tokens = tokens;
    }

    /** What stores reported: {@code IMAP ok} or {@code IMAP OAM227 <message>}, in order. */
    public java.util.List<String> storeOutcomes() {
        return java.util.List.copyOf(storeOutcomes);
    }

    @Override
    public void storeConnected(String protocol, String mailbox, String host, int port, MessagingException failure,
                               String oauthStatus) {
        storeOutcomes.add(protocol + (failure == null ? " ok" : " " + ((io.github.oauth2mail.failure.MailFailure) failure)
                .messageId().id() + " " + failure.getMessage()));
    }

    /** A Session carrying this connector, with the adapter's IMAP store registered for imap and imaps. */
    public Session session() throws NoSuchProviderException {
        Properties p = new Properties();
        p.put(SESSION_KEY, this);
        Session s = Session.getInstance(p);
        for (Provider provider : java.util.stream.Stream.concat(OAuth2ImapStore.providers().stream(),
                io.github.oauth2mail.transport.OAuth2Pop3Store.providers().stream()).toList()) {
            s.setProvider(provider);
        }
        return s;
    }

    @Override
    public ConnectorSettings settings() {
        return settings;
    }

    @Override
    public TokenProvider tokens() {
        return tokens;
    }

    @Override
    public SmtpLease lease(String mailbox) throws MessagingException {
        SmtpConnection c = SmtpConnection.open(settings, TlsSupport.socketFactory(settings), tokens, mailbox);
        return new SmtpLease() {
            @Override
            public String mailbox() {
                return c.mailbox();
            }

            @Override
            public void send(Message message, Address[] recipients) throws MessagingException {
                c.send(message, recipients);
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }
}
