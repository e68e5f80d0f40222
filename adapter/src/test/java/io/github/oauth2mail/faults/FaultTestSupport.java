package io.github.oauth2mail.faults;

import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.resource.ResourceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every fault test shares: the HTTPS token issuer, a STARTTLS {@link ScriptedSmtpServer} presenting the same
 * test certificate (GreenMail's, so one trust store serves both), and connector factories driven as an app drives
 * them: a connector Session and {@code Transport.send}.
 */
abstract class FaultTestSupport {

    static final String ALICE = "alice@example.com";
    static final String BOB = "bob@example.com";
    static final String RCPT = "rcpt@example.org";
    // short: GreenMail does not support the two-step AUTH XOAUTH2, so tokens must go inline
    static final String T1 = "tok1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static final String T2 = "tok2-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    static final String T3 = "tok3-CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";

    static final TestCertificates CERTS = GreenMailTls.certificates();

    static TestTokenIssuer issuer;
    ScriptedSmtpServer server;
    final List<OAuth2MailManagedConnectionFactory> factories = new ArrayList<>();

    @BeforeAll
    static void startIssuer() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        factories.forEach(OAuth2MailManagedConnectionFactory::close);
        if (server != null) {
            server.close();
        }
        issuer.resetRequests();
    }

    /** A STARTTLS server accepting {@code tokens}. */
    ScriptedSmtpServer startServer(String... tokens) throws Exception {
        server = ScriptedSmtpServer.startTls(CERTS.serverContext()).acceptTokens(tokens);
        return server;
    }

    ConnectorKeys keys(String name) {
        return ConnectorKeys.of(name, issuer, ALICE, server.port(), "starttls");
    }

    OAuth2MailManagedConnectionFactory factory(ConnectorKeys keys) {
        OAuth2MailManagedConnectionFactory f = keys.factory();
        factories.add(f);
        return f;
    }

    static Session session(OAuth2MailManagedConnectionFactory f) throws ResourceException {
        return (Session) f.createConnectionFactory();
    }

    static MimeMessage message(Session session, String from, String subject) throws MessagingException {
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(from));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(RCPT));
        msg.setSubject(subject);
        msg.setText("body of " + subject);
        return msg;
    }

    /** How many command lines with this verb the server received. */
    long count(String verb) {
        return server.received().stream().filter(l -> l.toUpperCase(Locale.ROOT).startsWith(verb)).count();
    }

    /** The access tokens the server saw in AUTH, in order. */
    List<String> authTokens() {
        List<String> l = new ArrayList<>();
        for (String r : server.authResponses()) {
            int i = r.indexOf("auth=Bearer ");
            if (i >= 0) {
                l.add(r.substring(i + 12, r.indexOf('\u0001', i)));
            }
        }
        return l;
    }
}
