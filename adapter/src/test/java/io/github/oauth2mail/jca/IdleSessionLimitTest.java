package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.MailboxLimitSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #14, found as a CI hang of {@link ClusterThrottleTest}: once a node's limit for a mailbox is lowered, a pooled
 * connection whose session was closed (by a {@code 432}, or as idle above the limit) must not open a new session
 * while another idle connection of the node still holds one: the idle one is closed first. Before, a LIFO pool handed
 * out the closed connection again and again, each send opened one session too many and got {@code 432}, and the
 * idle session kept its slot at the server for as long as every node did the same.
 */
class IdleSessionLimitTest {

    static final String ALICE = "alice@example.com";
    static final String TOKEN = "tok1-IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII";
    static final TestCertificates CERTS = GreenMailTls.certificates();

    TestTokenIssuer issuer;
    MailboxLimitSmtpServer server;
    OAuth2MailManagedConnectionFactory factory;

    @AfterEach
    void tearDown() throws Exception {
        if (factory != null) {
            factory.close();
        }
        if (server != null) {
            server.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void send_throughClosedConnectionWhileAnotherIdleHoldsTheOnlySlot_closesTheIdleOneFirst() throws Exception {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
        issuer.stubToken(TOKEN, 3600);
        server = new MailboxLimitSmtpServer(CERTS.serverContext(), 1, TOKEN::equals);
        factory = ConnectorKeys.of("idle", issuer, ALICE, server.port(), "starttls")
                .set("max-connections-per-mailbox", "2").factory();
        MailboxRequestInfo cri = new MailboxRequestInfo(ALICE);
        SmtpManagedConnection a = (SmtpManagedConnection) factory.createManagedConnection(null, cri);
        SmtpManagedConnection b = (SmtpManagedConnection) factory.createManagedConnection(null, cri);
        assertThat(server.maxSessions()).isEqualTo(2);

        factory.runtime().budget(ALICE).tooManySessions(); // 2 -> 1: one of the two idle sessions is closed
        assertThat(factory.runtime().budget(ALICE).limit()).isEqualTo(1);
        assertThat(a.isConnected() ^ b.isConnected()).as("exactly one session left open").isTrue();
        SmtpManagedConnection closed = a.isConnected() ? b : a;
        SmtpManagedConnection open = closed == a ? b : a;

        SmtpConnectionHandle handle = (SmtpConnectionHandle) closed.getConnection(null, cri); // as a LIFO pool does
        MimeMessage msg = new MimeMessage((Session) factory.createConnectionFactory());
        msg.setFrom(new InternetAddress(ALICE));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.org"));
        msg.setSubject("one slot");
        msg.setText("body");
        msg.saveChanges();
        handle.send(msg, msg.getAllRecipients());
        handle.close();

        assertThat(server.throttledCount()).as("MAIL FROMs answered 432").isZero();
        assertThat(server.delivered()).isEqualTo(1);
        assertThat(open.isConnected()).as("the idle session gave up its slot").isFalse();
        assertThat(closed.isConnected()).isTrue();
        a.destroy();
        b.destroy();
    }
}
