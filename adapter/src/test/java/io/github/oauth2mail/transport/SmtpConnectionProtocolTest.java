package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.testing.TestTokens;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Properties;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SmtpConnection} against {@link ScriptedSmtpServer}: the protocol details GreenMail cannot show. */
class SmtpConnectionProtocolTest {

    static final String MAILBOX = "sender@example.com";
    static final TestCertificates CERTS = TestCertificates.in(Path.of("target", "test-certs", "scripted"),
            "localhost", "127.0.0.1");
    static final TestCertificates LOCALHOST_ONLY = TestCertificates.in(Path.of("target", "test-certs", "localhost-only"),
            "localhost");

    private ScriptedSmtpServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private ScriptedSmtpServer startTlsServer(String... tokens) throws Exception {
        server = ScriptedSmtpServer.startTls(CERTS.serverContext()).acceptTokens(tokens);
        return server;
    }

    private TestSettings settings() {
        return TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", server.port(), "starttls").trust(CERTS);
    }

    private static SmtpConnection open(TestSettings settings, TestTokens tokens) throws MessagingException {
        ConnectorSettings s = settings.build();
        return SmtpConnection.open(s, TlsSupport.socketFactory(s), tokens, MAILBOX);
    }

    private static MimeMessage message(String body) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(MAILBOX));
        m.addRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.org"));
        m.setSubject("test");
        m.setText(body);
        m.saveChanges();
        return m;
    }

    private static String longToken() {
        return "eyJ0eXAiOiJKV1Qi." + "x".repeat(2000) + ".sig";
    }

    @Test
    void open_longToken_authInTwoStepsWithinLineLimitAndSends() throws Exception {
        String token = longToken();
        startTlsServer(token);
        try (SmtpConnection c = open(settings(), TestTokens.sequence(token))) {
            MimeMessage m = message("hello");
            c.send(m, m.getAllRecipients());
        }
        assertThat(server.received()).contains("AUTH XOAUTH2");
        assertThat(server.received()).allMatch(l -> l.length() + 2 <= ScriptedSmtpServer.MAX_LINE
                || !l.startsWith("AUTH"));
        assertThat(server.authResponses()).containsExactly("user=" + MAILBOX + "\u0001auth=Bearer " + token
                + "\u0001\u0001");
        assertThat(server.messages()).hasSize(1);
        assertThat(server.messages().get(0)).contains("hello");
    }

    @Test
    void send_watchdogCancelledWhenTheMessageIsWritten_andItsThreadEndsWhenIdle() throws Exception {
        startTlsServer("short-token");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("short-token"))) {
            MimeMessage m = message("watched");
            c.send(m, m.getAllRecipients());
            // no task outlives the message (a pending one would hold the connection until read-timeout-ms)
            assertThat(StallTimer.pending()).isZero();
        }
        assertThat(server.messages()).hasSize(1);
        // and no thread of the adapter outlives its work (none may pin an undeployed adapter's class loader)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(StallTimer.IDLE_SECONDS * 4L))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().startsWith("oauth2mail-data-watchdog")));
    }

    @Test
    void open_shortToken_authInline() throws Exception {
        startTlsServer("short-token");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("short-token"))) {
            assertThat(c.isOpen()).isTrue();
        }
        assertThat(server.received()).filteredOn(l -> l.startsWith("AUTH"))
                .singleElement().satisfies(l -> assertThat(l).startsWith("AUTH XOAUTH2 ").hasSizeLessThanOrEqualTo(510));
    }

    @Test
    void open_errorChallengeTwice_emptyLineSentAndExceptionCarriesStatusAndFinalReply() throws Exception {
        startTlsServer("the-good-one");
        TestTokens tokens = TestTokens.sequence("rejected-1", "rejected-2");
        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> open(settings(), tokens));
        assertThat(e.oauthStatus()).isEqualTo("401");
        assertThat(e.replyCode()).isEqualTo(535);
        assertThat(e.serverReply()).isEqualTo("535 5.7.3 Authentication unsuccessful");
        assertThat(e.getMessage()).contains("535 5.7.3", "status=401", "SMTP.SendAsApp")
                .doesNotContain("rejected-1", "rejected-2");
        assertThat(tokens.invalidatedValues()).containsExactly("rejected-1");
        // the error challenge was answered with an empty line, on each of the two connections
        assertThat(server.received()).filteredOn(String::isEmpty).hasSize(2);
        assertThat(server.authResponses()).hasSize(2);
    }

    @Test
    void open_errorChallengeThenFreshToken_connects() throws Exception {
        startTlsServer("fresh");
        TestTokens tokens = TestTokens.sequence("expired", "fresh");
        try (SmtpConnection c = open(settings(), tokens)) {
            MimeMessage m = message("after retry");
            c.send(m, m.getAllRecipients());
        }
        assertThat(tokens.invalidatedValues()).containsExactly("expired");
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void open_oauthBearer_sendsRfc7628ResponseAndAnswersErrorWithCtrlA() throws Exception {
        startTlsServer("bearer-token").mechanisms("OAUTHBEARER");
        try (SmtpConnection c = open(settings().set("sasl-mechanism", "OAUTHBEARER"),
                TestTokens.sequence("stale", "bearer-token"))) {
            assertThat(c.isOpen()).isTrue();
        }
        String expected = "n,a=" + MAILBOX + ",\u0001host=127.0.0.1\u0001port=" + server.port()
                + "\u0001auth=Bearer bearer-token\u0001\u0001";
        assertThat(server.authResponses()).hasSize(2).last().isEqualTo(expected);
        assertThat(server.received()).contains("AQ==");
    }

    @Test
    void open_mechanismNotOffered_clearErrorNamingKeyAndNoAuth() throws Exception {
        startTlsServer("t").mechanisms("PLAIN LOGIN");
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> open(settings(), TestTokens.sequence("t")));
        assertThat(e.getMessage()).contains("XOAUTH2", "oauth2mail.test.sasl-mechanism", "PLAIN LOGIN");
        assertThat(server.receivedVerb("AUTH")).isFalse();
    }

    @Test
    void open_startTlsNotOffered_clearErrorAndNoAuthInClear() throws Exception {
        server = ScriptedSmtpServer.plain().acceptTokens("t");
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> open(settings(), TestTokens.sequence("t")));
        assertThat(e.getMessage()).contains("does not offer STARTTLS", "oauth2mail.test.smtp.tls");
        assertThat(server.receivedVerb("EHLO")).isTrue();
        assertThat(server.receivedVerb("AUTH")).isFalse();
        assertThat(server.received()).noneMatch(l -> l.contains("dA=="));
    }

    @Test
    void open_nothingListening_connectErrorWithServerAndNoInvalidation() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        TestTokens tokens = TestTokens.sequence("t");
        TestSettings s = TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", port, "starttls").trust(CERTS);
        MessagingException e = catchThrowableOfType(MessagingException.class, () -> open(s, tokens));
        assertThat(e.getMessage()).contains("OAM206", "127.0.0.1:" + port, "connect");
        assertThat(e).hasCauseInstanceOf(java.net.ConnectException.class);
        assertThat(tokens.invalidatedValues()).isEmpty();
    }

    @Test
    void open_certificateForOtherHostName_sslErrorAndNoAuth() throws Exception {
        server = ScriptedSmtpServer.startTls(LOCALHOST_ONLY.serverContext()).acceptTokens("t");
        TestSettings s = TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", server.port(), "starttls")
                .trust(LOCALHOST_ONLY);
        MessagingException e = catchThrowableOfType(MessagingException.class, () -> open(s, TestTokens.sequence("t")));
        assertThat(e).hasCauseInstanceOf(SSLException.class);
        assertThat(e.getMessage()).contains("OAM205", "127.0.0.1");
        assertThat(server.receivedVerb("STARTTLS")).isTrue();
        assertThat(server.receivedVerb("AUTH")).isFalse();
    }

    @Test
    void open_certificateForOtherHostNameImplicitTls_sslErrorAndNothingSent() throws Exception {
        server = ScriptedSmtpServer.implicitTls(LOCALHOST_ONLY.serverContext()).acceptTokens("t");
        TestSettings s = TestSettings.mailbox(MAILBOX).smtp("127.0.0.1", server.port(), "implicit")
                .trust(LOCALHOST_ONLY);
        MessagingException e = catchThrowableOfType(MessagingException.class, () -> open(s, TestTokens.sequence("t")));
        assertThat(e).hasCauseInstanceOf(SSLException.class);
        assertThat(server.received()).isEmpty();
    }

    @Test
    void open_certificateMatchingHostName_connectsOverImplicitTls() throws Exception {
        server = ScriptedSmtpServer.implicitTls(LOCALHOST_ONLY.serverContext()).acceptTokens("t");
        TestSettings s = TestSettings.mailbox(MAILBOX).smtp("localhost", server.port(), "implicit")
                .trust(LOCALHOST_ONLY);
        try (SmtpConnection c = open(s, TestTokens.sequence("t"))) {
            assertThat(c.noop()).isTrue();
        }
        assertThat(server.receivedVerb("QUIT")).isTrue();
    }

    @Test
    void send_droppedAfterFinalDot_deliveryUnknownNotRetryable() throws Exception {
        startTlsServer("t").dropOn(".");
        SmtpConnection c = open(settings(), TestTokens.sequence("t"));
        MimeMessage m = message("maybe delivered");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.deliveryUnknown()).isTrue();
        assertThat(e.safeToRetry()).isFalse();
        assertThat(e.connectionBroken()).isTrue();
        assertThat(e.getMessage()).contains("delivery unknown: the server may or may not have accepted the message; "
                + "not resent to avoid a duplicate");
        assertThat(server.messages()).hasSize(1);
        assertThat(c.isOpen()).isFalse();
        c.close();
    }

    @Test
    void send_droppedOnDataCommand_safeToRetry() throws Exception {
        startTlsServer("t").dropOn("DATA");
        SmtpConnection c = open(settings(), TestTokens.sequence("t"));
        MimeMessage m = message("not delivered");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.safeToRetry()).isTrue();
        assertThat(e.connectionBroken()).isTrue();
        assertThat(e.deliveryUnknown()).isFalse();
        assertThat(server.messages()).isEmpty();
        c.close();
    }

    @Test
    void send_serverSlowerThanReadTimeout_failsBoundedWithConnectionBroken() throws Exception {
        startTlsServer("t").hangOn("MAIL");
        SmtpConnection c = open(settings().set("read-timeout-ms", "300"), TestTokens.sequence("t"));
        MimeMessage m = message("slow");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.connectionBroken()).isTrue();
        assertThat(e.safeToRetry()).isTrue();
        assertThat(e).hasCauseInstanceOf(java.net.SocketTimeoutException.class);
        c.close();
    }

    @Test
    @Timeout(120) // a hang guard only: a stall in the write is bounded by read-timeout-ms (500 ms here)
    void send_serverStopsReadingData_writeBoundedAndSafeToRetry() throws Exception {
        startTlsServer("t").stallInData();
        SmtpConnection c = open(settings().set("read-timeout-ms", "500"), TestTokens.sequence("t"));
        MimeMessage m = message("x");
        m.setDataHandler(new DataHandler(new EndlessLines(256L * 1024 * 1024)));
        m.setHeader("Content-Transfer-Encoding", "7bit");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.connectionBroken()).isTrue();
        assertThat(e.safeToRetry()).isTrue();
        assertThat(e.getMessage()).contains("the server accepted no message data for 500 ms");
        assertThat(c.isOpen()).isFalse();
        c.close();
    }

    /** {@code size} bytes of short ASCII lines, generated as they are read. */
    private static final class EndlessLines implements DataSource {
        private final long size;

        EndlessLines(long size) {
            this.size = size;
        }

        @Override
        public InputStream getInputStream() {
            return new InputStream() {
                private long left = size;

                @Override
                public int read() {
                    if (left <= 0) {
                        return -1;
                    }
                    left--;
                    return left % 64 == 0 ? '\n' : 'x';
                }
            };
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return "text/plain; charset=us-ascii";
        }

        @Override
        public String getName() {
            return "big.txt";
        }
    }

    @Test
    void send_432OnMailFrom_temporaryAndConnectionKept() throws Exception {
        startTlsServer("t").reply("MAIL", "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("t"))) {
            MimeMessage m = message("busy");
            SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
            assertThat(e.temporary()).isTrue();
            assertThat(e.connectionBroken()).isFalse();
            assertThat(e.safeToRetry()).isTrue();
            assertThat(e.replyCode()).isEqualTo(432);
            assertThat(e.serverReply()).contains("4.3.2");
            assertThat(c.isOpen()).isTrue();
            assertThat(c.noop()).isTrue();
        }
        assertThat(server.receivedVerb("RSET")).isTrue();
        assertThat(server.receivedVerb("DATA")).isFalse();
    }

    @Test
    void send_421OnMailFrom_connectionBroken() throws Exception {
        startTlsServer("t").reply("MAIL", "421 4.7.0 closing connection");
        SmtpConnection c = open(settings(), TestTokens.sequence("t"));
        MimeMessage m = message("x");
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.connectionBroken()).isTrue();
        assertThat(e.temporary()).isTrue();
        assertThat(c.isOpen()).isFalse();
        c.close();
    }

    @Test
    void send_recipientRejected_permanentWithInvalidAddressAndNoData() throws Exception {
        startTlsServer("t").reply("RCPT", "550 5.1.1 User unknown");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("t"))) {
            MimeMessage m = message("x");
            SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
            assertThat(e.temporary()).isFalse();
            assertThat(e.connectionBroken()).isFalse();
            assertThat(e.getInvalidAddresses()).extracting(Address::toString).containsExactly("alice@example.org");
            assertThat(e.getMessage()).contains("alice@example.org: 550 5.1.1 User unknown");
        }
        assertThat(server.receivedVerb("DATA")).isFalse();
    }

    @Test
    void send_rejectedData_permanentNotBroken() throws Exception {
        startTlsServer("t").reply(".", "554 5.6.0 Message rejected");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("t"))) {
            MimeMessage m = message("x");
            SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
            assertThat(e.replyCode()).isEqualTo(554);
            assertThat(e.temporary()).isFalse();
            assertThat(e.deliveryUnknown()).isFalse();
            assertThat(e.connectionBroken()).isFalse();
            assertThat(c.noop()).isTrue();
        }
    }

    @Test
    void send_addressWithLineSeparator_noCommandSent() throws Exception {
        startTlsServer("t");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("t"))) {
            for (String bad : new String[] {"a@example.org\r\nDATA", "a@example.org\u2028x", "a@example.org\u0085x",
                    "a@example.org\nx", "a@exam\u0000ple.org"}) {
                InternetAddress a = new InternetAddress();
                a.setAddress(bad);
                MimeMessage m = message("x");
                SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, new Address[] {a}));
                assertThat(e.getInvalidAddresses()).containsExactly(a);
            }
            assertThat(c.isOpen()).isTrue();
        }
        assertThat(server.receivedVerb("MAIL")).isFalse();
        assertThat(server.receivedVerb("RCPT")).isFalse();
        assertThat(server.receivedVerb("DATA")).isFalse();
    }

    @Test
    void send_nonAsciiRecipient_usesSmtpUtf8() throws Exception {
        startTlsServer("t");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("t"))) {
            MimeMessage m = message("x");
            c.send(m, new Address[] {new InternetAddress("jürgen@example.org")});
        }
        assertThat(server.received()).contains("MAIL FROM:<" + MAILBOX + "> SMTPUTF8", "RCPT TO:<jürgen@example.org>");
    }

    @Test
    void send_attachmentUnreadable_notRetryableAndNothingDelivered() throws Exception {
        startTlsServer("t");
        SmtpConnection c = open(settings(), TestTokens.sequence("t"));
        MimeMessage m = message("x");
        m.setDataHandler(new DataHandler(new DataSource() {
            @Override
            public InputStream getInputStream() throws IOException {
                throw new IOException("attachment file is gone");
            }

            @Override
            public OutputStream getOutputStream() {
                throw new UnsupportedOperationException();
            }

            @Override
            public String getContentType() {
                return "application/octet-stream";
            }

            @Override
            public String getName() {
                return "report.pdf";
            }
        }));
        SmtpSendException e = catchThrowableOfType(SmtpSendException.class, () -> c.send(m, m.getAllRecipients()));
        assertThat(e.safeToRetry()).isFalse();
        assertThat(e.deliveryUnknown()).isFalse();
        assertThat(e.getMessage()).contains("OAM215", "attachment file is gone");
        assertThat(c.isOpen()).isFalse();
        c.close();
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void send_serverOffersPipelining_mailAndRcptInOneBatchDataAlone() throws Exception {
        startTlsServer("t");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("t"))) {
            MimeMessage m = message("pipelined");
            c.send(m, new Address[] {new InternetAddress("a@example.org"), new InternetAddress("b@example.org")});
        }
        assertThat(server.arrivedWithMore()).contains("MAIL FROM:<" + MAILBOX + ">", "RCPT TO:<a@example.org>")
                .doesNotContain("RCPT TO:<b@example.org>", "DATA");
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void send_serverWithoutPipelining_waitsForEachReply() throws Exception {
        startTlsServer("t").pipelining(false);
        try (SmtpConnection c = open(settings(), TestTokens.sequence("t"))) {
            MimeMessage m = message("lock-step");
            c.send(m, new Address[] {new InternetAddress("a@example.org"), new InternetAddress("b@example.org")});
        }
        assertThat(server.arrivedWithMore()).isEmpty();
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void reset_openConnection_sendsRset() throws Exception {
        startTlsServer("t");
        try (SmtpConnection c = open(settings(), TestTokens.sequence("t"))) {
            c.reset();
        }
        assertThat(server.receivedVerb("RSET")).isTrue();
    }
}
