package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.ScriptedImapServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestMailConnector;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.testing.TestTokens;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The IMAP AUTHENTICATE exchange of {@link OAuth2ImapStore} ({@link ImapLogin}) against {@link ScriptedImapServer}:
 * the 1000-byte command line, SASL-IR or not, the OAuth2 error challenge, OAUTHBEARER, STARTTLS required. After login
 * the Jakarta Mail implementation's store must work over the handed-over connection (LIST, EXAMINE).
 */
class ImapAuthenticateProtocolTest {

    static final String MAILBOX = "reader@example.com";
    static final TestCertificates CERTS = TestCertificates.in(Path.of("target", "test-certs", "scripted"),
            "localhost", "127.0.0.1");

    private ScriptedImapServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private TestSettings settings(String tls) {
        return TestSettings.mailbox(MAILBOX).trust(CERTS).imap("127.0.0.1", server.port(), tls);
    }

    private static Store connect(TestSettings settings, TestTokens tokens) throws MessagingException {
        Store store = new TestMailConnector(settings.build(), tokens).session().getStore("imap");
        store.connect();
        return store;
    }

    /** What the app does after connecting: the implementation's store speaks IMAP over the adapter's connection. */
    private static void useInbox(Store store) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        assertThat(inbox.exists()).isTrue();
        inbox.open(Folder.READ_ONLY);
        assertThat(inbox.getMessageCount()).isZero();
        inbox.close(false);
    }

    private static String longToken() {
        return "eyJ0eXAiOiJKV1Qi." + "x".repeat(2000) + ".sig";
    }

    private static String xoauth2(String token) {
        return "user=" + MAILBOX + "\u0001auth=Bearer " + token + "\u0001\u0001";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void connect_longTokenWithSaslIr_responseOnItsOwnLineWithinLineLimit() throws Exception {
        String token = longToken();
        server = ScriptedImapServer.implicitTls(CERTS.serverContext()).acceptTokens(token);
        Store store = connect(settings("implicit"), TestTokens.sequence(token));
        try {
            useInbox(store);
        } finally {
            store.close();
        }
        assertThat(server.received()).anyMatch(l -> l.matches("\\S+ AUTHENTICATE XOAUTH2"));
        assertThat(server.received()).filteredOn(l -> l.contains(" AUTHENTICATE "))
                .allMatch(l -> l.length() + 2 <= ScriptedImapServer.MAX_LINE);
        assertThat(server.authResponses()).containsExactly(xoauth2(token));
        assertThat(server.received()).noneMatch(l -> l.endsWith("BAD"));
    }

    @Test
    void connect_shortTokenWithSaslIr_initialResponseInline() throws Exception {
        server = ScriptedImapServer.implicitTls(CERTS.serverContext()).acceptTokens("short-token");
        Store store = connect(settings("implicit"), TestTokens.sequence("short-token"));
        try {
            useInbox(store);
        } finally {
            store.close();
        }
        assertThat(server.received()).filteredOn(l -> l.contains(" AUTHENTICATE ")).singleElement()
                .satisfies(l -> assertThat(l).endsWith(" AUTHENTICATE XOAUTH2 " + b64(xoauth2("short-token"))));
    }

    @Test
    void connect_serverWithoutSaslIr_waitsForContinuation() throws Exception {
        server = ScriptedImapServer.implicitTls(CERTS.serverContext()).saslIr(false).acceptTokens("short-token");
        Store store = connect(settings("implicit"), TestTokens.sequence("short-token"));
        store.close();
        assertThat(server.received()).anyMatch(l -> l.matches("\\S+ AUTHENTICATE XOAUTH2"));
        assertThat(server.received()).contains(b64(xoauth2("short-token")));
    }

    @Test
    void connect_tokenRejectedWithErrorChallenge_acknowledgesThenRetriesOnceWithFreshToken() throws Exception {
        server = ScriptedImapServer.implicitTls(CERTS.serverContext()).acceptTokens("fresh");
        TestTokens tokens = TestTokens.sequence("stale", "fresh");
        Store store = connect(settings("implicit"), tokens);
        try {
            useInbox(store);
        } finally {
            store.close();
        }
        // the error challenge was answered with an empty line (XOAUTH2), not with the token again
        int challenge = server.received().indexOf(server.received().stream()
                .filter(l -> l.contains(b64(xoauth2("stale")))).findFirst().orElseThrow());
        assertThat(server.received().get(challenge + 1)).isEmpty();
        assertThat(tokens.invalidatedValues()).containsExactly("stale");
        assertThat(server.authResponses()).containsExactly(xoauth2("stale"), xoauth2("fresh"));
    }

    @Test
    void connect_tokenRejectedTwice_authenticationFailedWithDecodedStatusAndNoToken() throws Exception {
        server = ScriptedImapServer.implicitTls(CERTS.serverContext()).acceptTokens("never");
        TestTokens tokens = TestTokens.sequence("wrong-1", "wrong-2");
        Store store = new TestMailConnector(settings("implicit").build(), tokens).session().getStore("imap");
        AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class, store::connect);
        assertThat(e.getMessage()).contains("OAM222", "OAM227", MAILBOX, "status=401",
                "NO [AUTHENTICATIONFAILED] AUTHENTICATE failed", "oauth2mail.test.scope")
                .doesNotContain("wrong-1", "wrong-2", b64(xoauth2("wrong-1")));
        assertThat(tokens.invalidatedValues()).containsExactly("wrong-1");
        assertThat(store.isConnected()).isFalse();
    }

    @Test
    void connect_oauthBearer_rfc7628ResponseAndErrorAcknowledgement() throws Exception {
        server = ScriptedImapServer.implicitTls(CERTS.serverContext()).mechanisms("OAUTHBEARER").acceptTokens("good");
        TestTokens tokens = TestTokens.sequence("bad", "good");
        Store store = connect(settings("implicit").set("sasl-mechanism", "OAUTHBEARER"), tokens);
        try {
            useInbox(store);
        } finally {
            store.close();
        }
        assertThat(server.authResponses()).hasSize(2);
        assertThat(server.authResponses().get(1)).isEqualTo("n,a=" + MAILBOX + ",\u0001host=127.0.0.1\u0001port="
                + server.port() + "\u0001auth=Bearer good\u0001\u0001");
        assertThat(server.received()).contains("AQ==");
    }

    @Test
    void connect_mechanismNotOffered_clearErrorNamingTheKeyAndNoTokenSent() throws Exception {
        server = ScriptedImapServer.implicitTls(CERTS.serverContext()).mechanisms("PLAIN").acceptTokens("t");
        TestTokens tokens = TestTokens.sequence("t");
        Store store = new TestMailConnector(settings("implicit").build(), tokens).session().getStore("imap");
        MessagingException e = catchThrowableOfType(MessagingException.class, store::connect);
        assertThat(e).isNotInstanceOf(AuthenticationFailedException.class);
        assertThat(e.getMessage()).contains("OAM269", "XOAUTH2", "oauth2mail.test.sasl-mechanism", "PLAIN");
        assertThat(server.received()).noneMatch(l -> l.contains("AUTHENTICATE"));
        assertThat(tokens.invalidatedValues()).isEmpty();
    }

    @Test
    void connect_startTls_upgradesBeforeAuthenticate() throws Exception {
        server = ScriptedImapServer.startTls(CERTS.serverContext()).acceptTokens("t");
        Store store = connect(settings("starttls"), TestTokens.sequence("t"));
        try {
            useInbox(store);
            assertThat(store.getURLName().getProtocol()).isEqualTo("imap");
        } finally {
            store.close();
        }
        assertThat(server.received().indexOf(server.received().stream().filter(l -> l.endsWith(" STARTTLS"))
                .findFirst().orElseThrow())).isLessThan(server.received().indexOf(server.received().stream()
                .filter(l -> l.contains(" AUTHENTICATE ")).findFirst().orElseThrow()));
    }

    @Test
    void connect_startTlsNotOffered_refusedBeforeAnyTokenIsSent() throws Exception {
        server = ScriptedImapServer.plain().acceptTokens("t");
        Store store = new TestMailConnector(settings("starttls").build(), TestTokens.sequence("t")).session()
                .getStore("imap");
        MessagingException e = catchThrowableOfType(MessagingException.class, store::connect);
        assertThat(e.getMessage()).contains("OAM268", "STARTTLS", "oauth2mail.test.imap.tls");
        assertThat(server.received()).noneMatch(l -> l.contains("AUTHENTICATE"));
    }

    @Test
    void connect_mailDebug_traceShowsExchangeButNoToken() throws Exception {
        String token = longToken();
        server = ScriptedImapServer.implicitTls(CERTS.serverContext()).acceptTokens(token);
        try (LogCapture log = new LogCapture()) {
            Store store = connect(settings("implicit").set("mail-debug", "true"), TestTokens.sequence("stale", token));
            store.close();
            String all = log.all();
            assertThat(all).contains("OAM228", "AUTHENTICATE XOAUTH2", "OAuth2 error challenge: status=401");
            assertThat(all).doesNotContain(token, "stale", b64(xoauth2(token)), b64(xoauth2("stale")));
        }
    }
}
