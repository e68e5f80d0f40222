package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.ScriptedPop3Server;
import io.github.oauth2mail.testing.ScriptedPop3Server.Rejection;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestMailConnector;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.testing.TestTokens;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The POP3 AUTH exchange of {@link OAuth2Pop3Store} ({@link Pop3Login}) against {@link ScriptedPop3Server}, which
 * refuses a token like Dovecot (error challenge, then {@code -ERR}) or with {@code -ERR} at once. After login the
 * Jakarta Mail implementation's store must read the mailbox over the handed-over connection.
 */
class Pop3AuthProtocolTest {

    static final String MAILBOX = "reader@example.com";
    static final TestCertificates CERTS = TestCertificates.in(Path.of("target", "test-certs", "scripted"),
            "localhost", "127.0.0.1");
    static final String MESSAGE = "From: a@example.com\r\nTo: " + MAILBOX + "\r\nSubject: quarterly numbers\r\n\r\n"
            + "the body nobody may log\r\n";

    private ScriptedPop3Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private TestSettings settings(String tls) {
        return TestSettings.mailbox(MAILBOX).trust(CERTS).pop3("127.0.0.1", server.port(), tls);
    }

    /** What the app does after connecting: open INBOX, count, read the newest message's subject. */
    private static String readInbox(Store store, int expectedCount) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        try {
            assertThat(inbox.getMessageCount()).isEqualTo(expectedCount);
            return inbox.getMessage(expectedCount).getSubject();
        } finally {
            inbox.close(false);
        }
    }

    private static String xoauth2(String token) {
        return "user=" + MAILBOX + "\u0001auth=Bearer " + token + "\u0001\u0001";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Rejection.class)
    void connect_revokedToken_refetchedOnceThenReadSucceeds(Rejection rejection) throws Exception {
        server = ScriptedPop3Server.implicitTls(CERTS.serverContext()).rejection(rejection).acceptTokens("fresh")
                .messages(MESSAGE, MESSAGE);
        TestTokens tokens = TestTokens.sequence("revoked", "fresh");
        TestMailConnector connector = new TestMailConnector(settings("implicit").build(), tokens);
        Store store = connector.session().getStore("pop3s");
        store.connect();
        try {
            assertThat(readInbox(store, 2)).isEqualTo("quarterly numbers");
        } finally {
            store.close();
        }
        assertThat(tokens.invalidatedValues()).containsExactly("revoked");
        assertThat(tokens.requests()).isEqualTo(2);
        assertThat(server.authResponses()).containsExactly(xoauth2("revoked"), xoauth2("fresh"));
        assertThat(connector.storeOutcomes()).containsExactly("POP3 ok");
        // the implementation's login never reaches the server: the adapter answered it
        assertThat(server.received()).noneMatch(l -> l.startsWith("USER") || l.startsWith("PASS"));
        if (rejection == Rejection.ERROR_CHALLENGE) {
            // RFC 7628 3.2.3: the error challenge is answered with a dummy response (XOAUTH2: an empty line)
            List<String> r = server.received();
            assertThat(r.get(r.indexOf("AUTH XOAUTH2 " + b64(xoauth2("revoked"))) + 1)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Rejection.class)
    void connect_mailboxTheTokenDoesNotCover_twoAttemptsThenTypedAuthenticationFailed(Rejection rejection)
            throws Exception {
        server = ScriptedPop3Server.implicitTls(CERTS.serverContext()).rejection(rejection).acceptTokens("never");
        TestTokens tokens = TestTokens.sequence("wrong-1", "wrong-2");
        TestMailConnector connector = new TestMailConnector(settings("implicit").build(), tokens);
        Store store = connector.session().getStore("pop3s");
        AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class, store::connect);
        assertThat(e).isInstanceOf(MailFailure.class);
        assertThat(((MailFailure) e).messageId()).isEqualTo(MessageId.STORE_TOKEN_REJECTED_TWICE);
        assertThat(e.getMessage()).contains("OAM222", "OAM227", MAILBOX, "-ERR [AUTH] Authentication failed.",
                "oauth2mail.test.scope").doesNotContain("wrong-1", "wrong-2", b64(xoauth2("wrong-2")));
        if (rejection == Rejection.ERROR_CHALLENGE) {
            assertThat(e.getMessage()).contains("status=401");
        }
        assertThat(server.authResponses()).containsExactly(xoauth2("wrong-1"), xoauth2("wrong-2"));
        assertThat(tokens.invalidatedValues()).containsExactly("wrong-1");
        assertThat(connector.storeOutcomes()).singleElement().asString().startsWith("POP3 OAM222");
        assertThat(store.isConnected()).isFalse();
    }

    @Test
    void folderReopened_tokenRevokedMeanwhile_newConnectionRefetchesOnceAndReads() throws Exception {
        server = ScriptedPop3Server.implicitTls(CERTS.serverContext()).acceptTokens("first").messages(MESSAGE);
        TestTokens tokens = TestTokens.sequence("first", "second");
        TestMailConnector connector = new TestMailConnector(settings("implicit").build(), tokens);
        Store store = connector.session().getStore("pop3s");
        store.connect();
        try {
            assertThat(readInbox(store, 1)).isEqualTo("quarterly numbers");
            server.acceptTokens("second"); // "first" revoked; closing the folder closed its connection
            assertThat(readInbox(store, 1)).isEqualTo("quarterly numbers");
        } finally {
            store.close();
        }
        assertThat(tokens.invalidatedValues()).containsExactly("first");
        assertThat(server.authResponses()).containsExactly(xoauth2("first"), xoauth2("first"), xoauth2("second"));
        assertThat(connector.storeOutcomes()).containsExactly("POP3 ok", "POP3 ok");
    }

    @Test
    void connect_longToken_initialResponseOnItsOwnLineWithinRfc5034Limit() throws Exception {
        String token = "eyJ0eXAiOiJKV1Qi." + "x".repeat(1500) + ".sig";
        server = ScriptedPop3Server.implicitTls(CERTS.serverContext()).acceptTokens(token).messages(MESSAGE);
        Store store = new TestMailConnector(settings("implicit").build(), TestTokens.sequence(token)).session()
                .getStore("pop3s");
        store.connect();
        try {
            assertThat(readInbox(store, 1)).isEqualTo("quarterly numbers");
        } finally {
            store.close();
        }
        assertThat(server.received()).contains("AUTH XOAUTH2", b64(xoauth2(token)));
        assertThat(server.received()).filteredOn(l -> l.startsWith("AUTH"))
                .allMatch(l -> l.length() + 2 <= ScriptedPop3Server.MAX_AUTH_LINE);
    }

    @Test
    void connect_oauthBearerOverStls_authenticatesWithRfc7628Response() throws Exception {
        server = ScriptedPop3Server.startTls(CERTS.serverContext()).mechanisms("OAUTHBEARER").acceptTokens("t1")
                .messages(MESSAGE);
        TestTokens tokens = TestTokens.sequence("t1");
        Store store = new TestMailConnector(settings("starttls").set("sasl-mechanism", "OAUTHBEARER").build(), tokens)
                .session().getStore("pop3");
        store.connect();
        try {
            assertThat(readInbox(store, 1)).isEqualTo("quarterly numbers");
        } finally {
            store.close();
        }
        assertThat(server.authResponses()).singleElement().asString()
                .startsWith("n,a=" + MAILBOX + ",\u0001host=127.0.0.1\u0001port=" + server.port()).contains("t1");
        List<String> r = server.received();
        assertThat(r.indexOf("STLS")).isBetween(0, r.indexOf("AUTH OAUTHBEARER " + b64(server.authResponses().get(0))));
    }

    @Test
    void connect_mailDebug_redactedTraceAtFineWithoutTokenOrMessageContent() throws Exception {
        server = ScriptedPop3Server.implicitTls(CERTS.serverContext()).acceptTokens("good-token").messages(MESSAGE);
        TestMailConnector connector = new TestMailConnector(settings("implicit").set("mail-debug", "true").build(),
                TestTokens.sequence("stale-token", "good-token"));
        Session session = connector.session();
        session.setDebug(true); // as the adapter's Session is with mail-debug=true
        ByteArrayOutputStream debugOut = new ByteArrayOutputStream();
        session.setDebugOut(new PrintStream(debugOut, true, StandardCharsets.UTF_8));
        String log;
        try (LogCapture capture = new LogCapture()) {
            Store store = session.getStore("pop3s");
            store.connect();
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessage(1).getContent().toString()).contains("the body nobody may log");
                inbox.close(false);
            } finally {
                store.close();
            }
            log = capture.lines().stream().filter(l -> l.contains("OAM229")).reduce("", String::concat);
            assertThat(capture.lines()).filteredOn(l -> l.contains("OAM229")).allMatch(l -> l.contains("FINE"));
        }
        assertThat(log).contains("C: AUTH XOAUTH2 <redacted>", "OAuth2 error challenge: status=401", "C: RETR 1",
                "S: -ERR [AUTH] Authentication failed.");
        String debug = debugOut.toString(StandardCharsets.UTF_8);
        assertThat(debug).doesNotContain("DEBUG POP3");
        for (String all : new String[] {log, debug}) {
            assertThat(all).doesNotContain("stale-token", "good-token", b64(xoauth2("good-token")),
                    "the body nobody may log", "quarterly numbers");
        }
    }
}
