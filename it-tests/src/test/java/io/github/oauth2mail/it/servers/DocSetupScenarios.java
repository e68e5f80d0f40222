package io.github.oauth2mail.it.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * From an empty server to mail, following only the docs: a fresh copy of the distribution set up by the blocks of
 * docs/servers.md as written ({@link DocSetup}), then the unchanged sample WAR sends with XOAUTH2 and reads back. A
 * doc step that does not work fails here, in the setup block's log ({@code setup.log}) or at the server's start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class DocSetupScenarios {

    private ServerFixture fixture;
    private SampleAppClient app;

    /** Which server's blocks. */
    protected abstract DocSetup.Kind kind();

    @BeforeAll
    void start() throws Exception {
        fixture = ServerFixture.start(getClass().getSimpleName(), DocSetup.launcher(kind()), Map.of(), 3600);
        System.out.printf("%s ready in %d ms%n", fixture.server().description(), fixture.server().startupMillis());
        app = fixture.app();
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Order(1)
    void send_serverSetUpByTheDocs_deliversWithAnIssuedToken() throws Exception {
        Reply reply = app.send("someone@example.org", "set up by the docs", "following only the docs");

        assertThat(reply.status()).as(reply.body() + "\nlog: " + fixture.server().logLocation()).isEqualTo(200);
        List<MimeMessage> received = fixture.mail().received().stream()
                .filter(m -> subject(m).equals("set up by the docs")).toList();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getRecipients(Message.RecipientType.TO))
                .containsExactly(new InternetAddress("someone@example.org"));
        assertThat(received.get(0).getFrom()).containsExactly(new InternetAddress(ConnectorFixture.MAILBOX));
        assertThat(fixture.mail().smtpLogins()).as("how GreenMail saw the mail transaction authenticated")
                .containsExactly("XOAUTH2 " + ConnectorFixture.MAILBOX);
        assertThat(fixture.issuer().issuedCount()).as("tokens from the endpoint the settings block names").isOne();
    }

    @Test
    @Order(2)
    void inbox_serverSetUpByTheDocs_readsBackOverImap() {
        Reply sent = app.send(ConnectorFixture.MAILBOX, "doc note to self", "read me back");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);

        Reply inbox = app.inbox();

        assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
        assertThat(inbox.body().lines()).contains("doc note to self");
    }

    @Test
    @Order(3)
    void log_serverSetUpByTheDocs_holdsNoClientSecretOrToken() {
        String log = fixture.server().log();

        assertThat(log).as("server log " + fixture.server().logLocation()).doesNotContain(ConnectorFixture.CLIENT_SECRET);
        for (String token : fixture.issuer().issuedTokens()) {
            assertThat(log).doesNotContain(token);
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
