package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import io.github.oauth2mail.transport.SmtpSendException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue #14: temporary refusals that a reply proves were not accepted are sent again inside {@code Transport.send},
 * with back-off, until {@code send-deadline-ms}; nothing else is. Back-off runs in fake time (the sleeper advances a
 * fake clock), so the tests are deterministic and take no wall time for the waits.
 */
class SendRetryTest {

    static final TestCertificates CERTS = GreenMailTls.certificates();
    static final String T1 = "tok1-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    static TestTokenIssuer issuer;

    ScriptedSmtpServer server;
    OAuth2MailManagedConnectionFactory factory;
    final FakeClock clock = new FakeClock();
    final AtomicInteger pauses = new AtomicInteger();
    Runnable onPause = () -> { };

    @BeforeAll
    static void startIssuer() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
        issuer.stubToken(T1, 3600);
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        server = ScriptedSmtpServer.startTls(CERTS.serverContext()).acceptTokens(T1);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (factory != null) {
            factory.close();
        }
        server.close();
    }

    private Session session(String deadlineMs) throws Exception {
        factory = ConnectorKeys.of("retry" + System.nanoTime(), issuer, SharedRuntimeTest.ALICE, server.port(),
                "starttls").set("send-deadline-ms", deadlineMs).factory();
        factory.useSendRetry(new SendRetry(clock, ms -> {
            pauses.incrementAndGet();
            clock.advance(ms);
            onPause.run();
        }, bound -> bound));
        return (Session) factory.createConnectionFactory();
    }

    @ParameterizedTest(name = "{0} answered ''{1}'' -> retried: {2}")
    @CsvSource(delimiter = '|', value = {
        "MAIL | 432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded | true",
        "MAIL | 451 4.7.0 Temporary server error                            | true",
        "MAIL | 550 5.7.1 Not allowed                                        | false",
        "RCPT | 452 4.5.3 Too many recipients                                | true",
        "RCPT | 550 5.1.1 User unknown                                       | false",
        "DATA | 451 4.3.0 Try again                                          | true",
        ".    | 451 4.3.0 Queue busy                                         | true",
        ".    | 554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException | false",
        ".    | 550 5.2.252 SendAsDenied                                     | false",
    })
    void send_refusalAlways_retriedOnlyWhenTemporaryAndNotAccepted(String verb, String reply, boolean retried)
            throws Exception {
        Session session = session("30000");
        server.reply(verb, reply);

        SmtpSendException e = catchThrowableOfType(
                () -> Transport.send(SharedRuntimeTest.message(session, "table")), SmtpSendException.class);

        assertThat(e).as("the caller still gets the refusal when it never clears").isNotNull();
        assertThat(e.replyCode()).isEqualTo(Integer.parseInt(reply.substring(0, 3)));
        long attempts = server.received().stream().filter(l -> l.startsWith("MAIL FROM")).count();
        if (retried) {
            assertThat(attempts).as("MAIL FROM attempts").isGreaterThan(1);
            assertThat(e.getMessage()).as("the caller learns it was retried").contains(attempts + " attempts within "
                    + "oauth2mail.").contains("send-deadline-ms=30000");
            assertThat(clock.elapsedMillis()).as("all back-off within send-deadline-ms").isLessThan(30_000);
        } else {
            assertThat(attempts).as("a permanent refusal is never sent again").isEqualTo(1);
            assertThat(pauses.get()).isZero();
        }
    }

    @Test
    void send_twoConcurrencyRefusalsThenAccepted_deliveredOnceAndCallerSeesSuccess() throws Exception {
        Session session = session("30000");
        server.reply("MAIL", "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded");
        onPause = () -> {
            if (pauses.get() == 2) {
                server.reply("MAIL", null);
            }
        };

        Transport.send(SharedRuntimeTest.message(session, "third time lucky"));

        assertThat(server.messages()).as("delivered exactly once").hasSize(1);
        assertThat(server.received().stream().filter(l -> l.startsWith("MAIL FROM")).count()).isEqualTo(3);
        assertThat(factory.runtime().mailboxLimits()).as("the node lowered its own limit for the mailbox")
                .containsEntry(SharedRuntimeTest.ALICE, 1);
    }

    @Test
    void send_noConnectionFreeForTheRetryBeforeTheDeadline_callerGetsTheRefusalNotAPoolTimeout() throws Exception {
        factory = ConnectorKeys.of("retry" + System.nanoTime(), issuer, SharedRuntimeTest.ALICE, server.port(),
                "starttls").set("send-deadline-ms", "30000").set("pool-wait-ms", "200").factory();
        Transport[] other = new Transport[1];
        factory.useSendRetry(new SendRetry(clock, ms -> {
            clock.advance(ms);
            if (other[0] == null) { // another sender takes the slot the refused send gave back
                try {
                    other[0] = ((Session) factory.createConnectionFactory()).getTransport("smtp");
                    other[0].connect();
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            }
        }, bound -> bound));
        Session session = (Session) factory.createConnectionFactory();
        server.reply("MAIL", "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded");
        try {
            SmtpSendException e = catchThrowableOfType(
                    () -> Transport.send(SharedRuntimeTest.message(session, "no slot")), SmtpSendException.class);
            assertThat(e).as("the 432, not OAM304").isNotNull();
            assertThat(e.replyCode()).isEqualTo(432);
            assertThat(factory.runtime().budget(SharedRuntimeTest.ALICE).inUse()).as("only the other sender's slot")
                    .isEqualTo(1);
        } finally {
            other[0].close();
        }
        assertThat(factory.runtime().budget(SharedRuntimeTest.ALICE).inUse()).isZero();
    }

    @Test
    void send_oneOfTwoRecipientsRefusedTemporarily_retriedWholeAndEachRecipientGetsItOnce() throws Exception {
        Session session = session("30000");
        server.replyToRecipient("second@example.org", "452 4.2.2 Mailbox busy, try later");
        onPause = () -> server.replyToRecipient("second@example.org", null);
        jakarta.mail.internet.MimeMessage msg = SharedRuntimeTest.message(session, "two recipients");
        msg.addRecipient(jakarta.mail.Message.RecipientType.TO,
                new jakarta.mail.internet.InternetAddress("second@example.org"));

        Transport.send(msg);

        assertThat(server.messages()).as("one message data, after the retry").hasSize(1);
        assertThat(server.received().stream().filter(l -> l.startsWith("DATA")).count())
                .as("no data went out while a recipient was refused (nothing to anyone, then everything once)")
                .isEqualTo(1);
        assertThat(server.received().stream().filter(l -> l.startsWith("RCPT TO:<" + SharedRuntimeTest.RCPT + ">"))
                .count()).as("the accepted recipient was named again only because its transaction was reset")
                .isEqualTo(2);
        assertThat(pauses.get()).isEqualTo(1);
    }

    @Test
    void send_noReplyAfterFinalDot_deliveryUnknownNeverResent() throws Exception {
        Session session = session("30000");
        server.dropOn(".");

        SmtpSendException e = catchThrowableOfType(
                () -> Transport.send(SharedRuntimeTest.message(session, "unknown")), SmtpSendException.class);

        assertThat(e.deliveryUnknown()).isTrue();
        assertThat(server.messages()).as("the data went out exactly once").hasSize(1);
        assertThat(pauses.get()).isZero();
    }

    @Test
    void send_deadlineZero_noRetry() throws Exception {
        Session session = session("0");
        server.reply("MAIL", "451 4.7.0 Temporary server error");

        SmtpSendException e = catchThrowableOfType(
                () -> Transport.send(SharedRuntimeTest.message(session, "no retry")), SmtpSendException.class);

        assertThat(e.temporary()).isTrue();
        assertThat(server.received().stream().filter(l -> l.startsWith("MAIL FROM")).count()).isEqualTo(1);
    }

    @Test
    void send_deadlineShorterThanBackoffs_stopsAtTheDeadline() throws Exception {
        Session session = session("400");
        server.reply("MAIL", "451 4.7.0 Temporary server error");

        catchThrowableOfType(() -> Transport.send(SharedRuntimeTest.message(session, "short")),
                SmtpSendException.class);

        // back-offs 50, 100, 200 ms fit in 400 ms; the next (400 ms) would pass the deadline
        assertThat(server.received().stream().filter(l -> l.startsWith("MAIL FROM")).count()).isEqualTo(4);
        assertThat(clock.elapsedMillis()).isEqualTo(350);
    }

    /** A clock that moves only when told to. */
    static final class FakeClock extends Clock {
        private final Instant start = Instant.parse("2027-01-04T09:00:00Z");
        private final AtomicLong millis = new AtomicLong();

        void advance(long ms) {
            millis.addAndGet(ms);
        }

        long elapsedMillis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return start.plusMillis(millis.get());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
