package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue #8, scenarios 10 and 11: each message goes out in a session authenticated as its own mailbox. */
class MailboxIsolationTest extends FaultTestSupport {

    static final String CAROL = "carol@example.com";
    static final List<String> MAILBOXES = List.of(ALICE, BOB, CAROL);
    static final Pattern AUTH_USER = Pattern.compile("^AUTH-DECODED user=([^\u0001]+)\u0001");
    static final Pattern SUBJECT_AS = Pattern.compile("(?m)^Subject: as (\\S+) ");

    @Test
    void threeMailboxes_12ThreadsInterleaved_everyMessageSubmittedAsItsOwnMailbox() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("isolation").set("allowed-mailboxes", BOB + "," + CAROL)
                .set("max-connections-per-mailbox", "2")));
        int threads = 12;
        int each = 30;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    String as = MAILBOXES.get((thread + i) % MAILBOXES.size());
                    Transport.send(message(session, as, "as " + as + " t" + thread + " m" + i),
                            as.equals(ALICE) ? null : as, null);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : results) {
            f.get(300, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int messages = 0;
        List<String> crossOver = new ArrayList<>();
        for (List<String> transcript : server.transcripts()) {
            String user = null;
            for (String line : transcript) {
                Matcher auth = AUTH_USER.matcher(line);
                if (auth.find()) {
                    user = auth.group(1);
                } else if (line.toUpperCase(Locale.ROOT).startsWith("MAIL FROM:")) {
                    if (!line.startsWith("MAIL FROM:<" + user + ">")) {
                        crossOver.add(line + " on a connection authenticated as " + user);
                    }
                } else if (line.startsWith("MESSAGE ")) {
                    messages++;
                    Matcher s = SUBJECT_AS.matcher(line);
                    if (!s.find() || !s.group(1).equals(user)) {
                        crossOver.add((s.find(0) ? s.group() : "no subject") + " on a connection authenticated as " + user);
                    }
                }
            }
        }
        assertThat(crossOver).as("messages submitted under another mailbox's session").isEmpty();
        assertThat(messages).isEqualTo(threads * each);
        assertThat(server.messages()).hasSize(threads * each);
        assertThat(server.maxConcurrentConnections()).as("2 per mailbox, 3 mailboxes").isLessThanOrEqualTo(6);
        assertThat(issuer.tokenRequests()).isEqualTo(1);
    }

    @Test
    void mailboxNotAllowed_sendAsOther_refusedBeforeAnyNetworkTraffic() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("notallowed").set("allowed-mailboxes", BOB)));
        assertThatThrownBy(() -> Transport.send(message(session, "mallory@example.com", "spoof"),
                "mallory@example.com", "some-password"))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("OAM232")
                .hasMessageContaining("mallory@example.com")
                .hasMessageContaining("oauth2mail.notallowed.allowed-mailboxes")
                .hasMessageNotContaining("some-password");
        assertThat(server.connectionCount()).as("connections the SMTP server saw").isZero();
        assertThat(issuer.tokenRequests()).as("token requests").isZero();
    }
}
