package io.github.oauth2mail.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.BasicAuthFixture;
import io.github.oauth2mail.it.support.MailServer;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The baseline: the unchanged sample WAR on Payara Micro with a plain Payara mail resource (basic auth over SMTPS /
 * IMAPS to GreenMail, whose self-signed certificate the Payara JVM trusts through javax.net.ssl.trustStore). This is
 * the app a migration team has today; the connector tests run the same WAR against the connector.
 */
class SampleAppBasicAuthIT {

    private static final String MAILBOX = BasicAuthFixture.MAILBOX;
    private static final String PASSWORD = BasicAuthFixture.PASSWORD;

    private static BasicAuthFixture fixture;
    private static MailServer mail;
    private static SampleAppClient app;

    @BeforeAll
    static void start() throws Exception {
        fixture = BasicAuthFixture.start("basic-auth", 0, null);
        System.out.println("Payara Micro ready in " + fixture.payara().startupMillis() + " ms (basic auth)");
        mail = fixture.mail();
        app = fixture.app();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void send_plainMailResource_deliversWithSubjectRecipientAndSender() throws Exception {
        Reply reply = app.send("someone@example.org", "basic hello", "sent with a password");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<MimeMessage> received = mail.received().stream().filter(m -> subjectIs(m, "basic hello")).toList();
        assertThat(received).hasSize(1);
        MimeMessage message = received.get(0);
        assertThat(message.getRecipients(Message.RecipientType.TO))
                .containsExactly(new InternetAddress("someone@example.org"));
        assertThat(message.getFrom()).containsExactly(new InternetAddress(MAILBOX));
        assertThat(reply.body().trim()).isEqualTo(message.getMessageID());
        assertThat(mail.smtpLogins()).as("how GreenMail saw each mail transaction authenticated")
                .isNotEmpty().allMatch(login -> login.matches("(LOGIN|PLAIN) " + MAILBOX));
    }

    static boolean subjectIs(MimeMessage message, String subject) {
        try {
            return subject.equals(message.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void inbox_plainMailResource_listsSubjectsOfTheMailbox() {
        Reply sent = app.send(MAILBOX, "note to self", "read me back over IMAPS");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);

        Reply inbox = app.inbox();

        assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
        assertThat(inbox.body().lines()).contains("note to self");
    }

    @Test
    void send_wrongPassword_answersBadGatewayWithTheServerReply() {
        mail.setPassword("changed-by-admin");
        try {
            Reply reply = app.send("someone@example.org", "must fail", "the password no longer works");

            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.body()).contains("AuthenticationFailedException").contains("535");
        } finally {
            mail.setPassword(PASSWORD);
        }
    }
}
