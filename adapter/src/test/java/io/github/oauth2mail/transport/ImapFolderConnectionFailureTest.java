package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.ScriptedImapServer;
import io.github.oauth2mail.testing.TestMailConnector;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.testing.TestTokens;
import io.github.oauth2mail.token.TokenException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.StoreClosedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #13: a folder connection whose fresh token is rejected too (after its one retry) reaches the application
 * with the adapter's reason ({@code OAM227 ...}) as the message, not the IMAP provider's bare "connection failure";
 * nothing stays open, and the failed connection is not pooled, so the next open works once tokens do.
 */
class ImapFolderConnectionFailureTest {

    static final String MAILBOX = "reader@example.com";
    static final String T1 = "imap-secret-one";
    static final String T2 = "imap-secret-two";

    private ScriptedImapServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A store connected with {@link #T1}, its one connection taken by an open INBOX. */
    private Store storeWithInboxOpen(TestTokens tokens) throws Exception {
        server = ScriptedImapServer.implicitTls(ImapAuthenticateProtocolTest.CERTS.serverContext()).acceptTokens(T1);
        TestSettings settings = TestSettings.mailbox(MAILBOX).trust(ImapAuthenticateProtocolTest.CERTS)
                .imap("127.0.0.1", server.port(), "implicit");
        Store store = new TestMailConnector(settings.build(), tokens).session().getStore("imap");
        store.connect();
        store.getFolder("INBOX").open(Folder.READ_ONLY); // takes the store's connection: the next one is new
        assertThat(server.connectionCount()).isEqualTo(1);
        return store;
    }

    private long received(String verb) {
        return server.received().stream().filter(l -> l.toUpperCase().contains(" " + verb + " ")).count();
    }

    private static String b64(String token) {
        return Base64.getEncoder().encodeToString(("user=" + MAILBOX + "\u0001auth=Bearer " + token + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String withCauses(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    void openSecondFolder_freshTokenRejectedToo_appSeesOam227ReasonNothingLeftOpenNextOpenWorks() throws Exception {
        TestTokens tokens = TestTokens.sequence(T1, T2);
        Store store = storeWithInboxOpen(tokens);
        try (LogCapture log = new LogCapture()) {
            server.acceptTokens(); // revoked: every token is rejected now
            Folder second = store.getFolder("INBOX");
            MessagingException e = catchThrowableOfType(MessagingException.class,
                    () -> second.open(Folder.READ_ONLY));

            assertThat(e.getMessage()).as("the adapter's reason, with the server's reply, is the top-level message")
                    .startsWith("* BYE OAM227 IMAP server 127.0.0.1:" + server.port() + " ").contains("OAM227", "did not accept the XOAUTH2 access token for mailbox " + MAILBOX,
                            "AUTHENTICATE failed")
                    .doesNotContain("connection failure");
            assertThat(second.isOpen()).isFalse();
            assertThat(received("AUTHENTICATE")).as("the store's login, then the folder's login and its one retry")
                    .isEqualTo(3);
            assertThat(tokens.invalidatedValues()).containsExactly(T1);
            assertThat(server.connectionCount()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.endedCount())
                    .as("both rejected connections were closed; the open INBOX keeps the first").isEqualTo(2));
            assertThat(received("EXAMINE")).as("the failed folder sent nothing to the server").isEqualTo(1);
            String all = withCauses(e) + log.all();
            assertThat(all).contains("OAM227");
            assertThat(all).as("no token in the exception or the log").doesNotContain(T1, T2, b64(T1), b64(T2));
        }

        server.acceptTokens(T2); // the token works again: the failed connection was not pooled
        Folder third = store.getFolder("INBOX");
        third.open(Folder.READ_ONLY);
        try {
            assertThat(third.getMessageCount()).isZero();
            assertThat(server.connectionCount()).isEqualTo(4);
            assertThat(received("EXAMINE")).isEqualTo(2);
        } finally {
            third.close(false);
            store.close();
        }
    }

    @Test
    void openSecondFolder_issuerFails_appSeesTheTokenFailuresIdWithoutTouchingTheServer() throws Exception {
        TestTokens tokens = TestTokens.sequence(T1);
        Store store = storeWithInboxOpen(tokens);
        try {
            tokens.failingWith(new TokenException(MessageId.TOKEN_REQUEST_REJECTED, TokenException.Kind.PERMANENT,
                    "token endpoint rejected the client (invalid_client)", "invalid_client", null, null));
            MessagingException e = catchThrowableOfType(MessagingException.class,
                    () -> store.getFolder("INBOX").open(Folder.READ_ONLY));

            assertThat(e.getMessage()).startsWith("* BYE " + MessageId.TOKEN_REQUEST_REJECTED.id() + " ")
                    .contains("invalid_client");
            assertThat(server.connectionCount()).as("no token, no connection").isEqualTo(1);
        } finally {
            store.close();
        }
    }

    @Test
    void newStoreConnection_freshTokenRejectedToo_storeCommandFailsThenRecoversOnItsOwn() throws Exception {
        TestTokens tokens = TestTokens.sequence(T1, T2);
        Store store = storeWithInboxOpen(tokens);
        try (LogCapture log = new LogCapture()) {
            server.acceptTokens();
            // a closed folder's exists() needs a store connection: the store's own is taken by the open INBOX
            MessagingException e = catchThrowableOfType(MessagingException.class,
                    () -> store.getFolder("INBOX").exists());
            assertThat(e).as("as before: the provider's own exception, never a pretended success")
                    .isInstanceOf(StoreClosedException.class)
                    .hasMessageContaining("failed to create new store connection");
            assertThat(received("AUTHENTICATE")).isEqualTo(3);
            assertThat(log.all()).contains("OAM227", "a folder connection of mailbox " + MAILBOX);

            server.acceptTokens(T2);
            assertThat(store.getFolder("INBOX").exists())
                    .as("the next store command opens a new connection: no dead one was left in the pool").isTrue();
            assertThat(server.connectionCount()).isEqualTo(4);
        } finally {
            store.close();
        }
    }
}
