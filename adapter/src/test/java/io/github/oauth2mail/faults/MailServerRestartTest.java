package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.oauth2mail.testing.ConnectorKeys;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue #8, scenario 6: the mail server restarts under a warm pool (GreenMail, SMTPS, fixed port). */
class MailServerRestartTest extends FaultTestSupport {

    static final int SMTPS_PORT = freePort();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new ServerSetup(SMTPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void users() {
        GREEN_MAIL.setUser(ALICE, ALICE, T1);
        GREEN_MAIL.setUser(RCPT, RCPT, "rcpt-password");
    }

    @Test
    void mailServerRestart_warmPoolOf3_poolHealsEachSendOnceNoDuplicates() throws Exception {
        users();
        issuer.stubToken(T1, 3600);
        Session session = session(factory(ConnectorKeys.of("restart", issuer, ALICE, SMTPS_PORT, "implicit")));
        assertThat(sendConcurrently(session, 4, 10, "before")).isEmpty();
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(40);

        GREEN_MAIL.stop();
        List<MessagingException> whileDown = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try {
                Transport.send(message(session, ALICE, "down-" + i));
            } catch (MessagingException e) {
                whileDown.add(e);
            }
        }
        assertThat(whileDown).as("each send while the server is down raises one clear exception").hasSize(3)
                .allSatisfy(e -> assertThat(e.getMessage()).contains("127.0.0.1:" + SMTPS_PORT));

        GREEN_MAIL.start();
        users();
        List<Throwable> after = sendConcurrently(session, 4, 15, "after");
        assertThat(after).as("stale pooled connections broke before DATA: replaced and retried once").isEmpty();

        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : GREEN_MAIL.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        Set<String> unique = new HashSet<>(subjects);
        assertThat(unique).as("no duplicate delivery").hasSize(subjects.size());
        assertThat(subjects.stream().filter(s -> s.startsWith("after-"))).hasSize(60);
        assertThat(subjects).noneMatch(s -> s.startsWith("down-"));
        assertThat(issuer.tokenRequests()).as("a mail server restart needs no new token").isEqualTo(1);
    }

    static List<Throwable> sendConcurrently(Session session, int threads, int each, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Throwable>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Throwable> errs = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    try {
                        Transport.send(message(session, ALICE, prefix + "-t" + thread + "-m" + i));
                    } catch (MessagingException e) {
                        errs.add(e);
                    }
                }
                return errs;
            }));
        }
        List<Throwable> all = new ArrayList<>();
        for (Future<List<Throwable>> f : results) {
            all.addAll(f.get(180, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return all;
    }
}
