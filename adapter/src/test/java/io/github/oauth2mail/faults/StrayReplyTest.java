package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 case 6: a server that sends something unasked on a pooled, idle connection (a late {@code 554} after it
 * answered {@code 250}). Read as the next transaction's reply, it failed a send the server accepted and left the
 * connection out of step; now the connection is replaced before anything is sent and the send goes on on a new one.
 */
class StrayReplyTest extends FaultTestSupport {

    @Test
    void lateReplyOnIdlePooledConnection_nextSendSucceedsOnNewConnection() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("stray")));
        server.lateReplyAfterData("554 5.0.0 oops later");
        Transport.send(message(session, ALICE, "first"));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.lateRepliesSent() == 1);
        server.lateReplyAfterData(null);

        Transport.send(message(session, ALICE, "second"));
        Transport.send(message(session, ALICE, "third"));

        assertThat(server.messages()).hasSize(3);
        assertThat(server.messages().get(1)).contains("Subject: second");
        assertThat(server.messages().get(2)).contains("Subject: third");
        assertThat(server.connectionCount()).as("the out-of-step connection was replaced once").isEqualTo(2);
        assertThat(server.transcripts().get(0)).as("nothing sent on the connection after the stray reply")
                .filteredOn(l -> l.startsWith("MAIL")).hasSize(1);
    }
}
