package io.github.oauth2mail.it.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import java.nio.file.Path;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connector tested the way Jakarta EE developers test their own apps: Arquillian JUnit 5 deploys this class in a
 * ShrinkWrap WAR into a managed Payara Micro (failsafe execution {@code arquillian-payara}: the connector .rar and
 * {@code mail/office365} come from {@code server-config/payara/post-boot-connector.asadmin} as checked in) or a managed
 * WildFly ({@code arquillian-wildfly}: {@code oauth2-mail-connector.cli} as checked in), see each
 * {@code src/test/resources-arquillian-<server>/arquillian.xml}; the server injects
 * the connector's {@code Session} into the test itself, and the test sends with {@code Transport.send} and reads the
 * mail back through the same Session's IMAP store. GreenMail and the token issuer run in the test JVM
 * ({@link MailFixtureExtension}); the mailbox accepts only tokens of that issuer, no password.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectorInContainerIT {

    /** {@code ConnectorFixture.MAILBOX}, the connector's XOAUTH2 user and the only mailbox of the mail server. */
    private static final String MAILBOX = "app@example.com";
    private static final String SUBJECT = "sent from an Arquillian test inside the server";
    private static final String BODY = "Transport.send through @Resource(lookup = \"mail/office365\")";

    @Resource(lookup = "mail/office365")
    private Session session;

    @Deployment
    static WebArchive deployment() {
        // only this class: Jakarta Mail and the connector are the server's, Arquillian adds JUnit and its protocol.
        // WildFly resolves the relative lookup in the app's java:comp/env: an app maps it in its own jboss-web.xml
        // (docs/servers.md), here the file the connector script's overlay gives the sample app; other servers ignore it
        Path resourceRef = Path.of(System.getProperty("it.server.config", "../server-config"),
                "wildfly", "jboss-web-mail-resource.xml");
        return ShrinkWrap.create(WebArchive.class, "in-container-mail.war").addClass(ConnectorInContainerIT.class)
                .addAsWebInfResource(resourceRef.toFile(), "jboss-web.xml");
    }

    @Test
    @Order(1)
    void transportSend_injectedConnectorSession_readsBackThroughItsImapStore() throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(MAILBOX));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
        message.setSubject(SUBJECT);
        message.setText(BODY);

        Transport.send(message);

        // GreenMail stores a message before it answers the DATA command: it is in the INBOX when send returns
        try (Store store = session.getStore("imap")) {
            store.connect();
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                Message[] found = inbox.search(new SubjectTerm(SUBJECT));
                assertEquals(1, found.length, "messages with the test's subject in the INBOX");
                assertEquals(MAILBOX, ((InternetAddress) found[0].getFrom()[0]).getAddress());
                assertEquals(BODY, found[0].getContent().toString().trim());
            } finally {
                inbox.close(false);
            }
        }
    }

    @Test
    @Order(2)
    @RunAsClient
    void theMailServer_sawTheSendLogInWithAnIssuedToken() {
        // GreenMail would take mail without AUTH: that the connector logged in with XOAUTH2 is checked here, outside
        List<String> logins = MailFixtureExtension.smtpLogins();
        assertEquals(List.of("XOAUTH2 " + MAILBOX), logins, "SMTP logins of the one send");
        assertTrue(MailFixtureExtension.issuedTokens() >= 1, "the connector fetched its token from the issuer");
        assertEquals(List.of(SUBJECT), MailFixtureExtension.receivedSubjects());
    }
}
