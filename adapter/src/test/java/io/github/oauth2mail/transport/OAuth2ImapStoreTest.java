package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestMailConnector;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.testing.TestTokens;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link OAuth2ImapStore} against GreenMail's IMAPS listener, mail delivered through {@link SmtpConnection}. */
class OAuth2ImapStoreTest {

    static final String MAILBOX = "reader@example.com";
    static final String OTHER = "shared@example.com";
    static final String TOKEN = "imap-token-1";

    static final TestCertificates CERTS = GreenMailTls.certificates();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTPS.dynamicPort(), ServerSetupTest.IMAPS.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, MAILBOX, TOKEN)
                    .withUser(OTHER, OTHER, TOKEN));

    private TestSettings settings() {
        return TestSettings.mailbox(MAILBOX).trust(CERTS)
                .smtp("127.0.0.1", GREEN_MAIL.getSmtps().getPort(), "implicit")
                .imap("127.0.0.1", GREEN_MAIL.getImaps().getPort(), "implicit");
    }

    private static void deliver(TestMailConnector connector, String to, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(MAILBOX));
        m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("body of " + subject);
        m.saveChanges();
        try (SmtpLease lease = connector.lease(MAILBOX)) {
            lease.send(m, m.getAllRecipients());
        }
    }

    private static String firstSubject(Store store) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        try {
            return inbox.getMessageCount() == 0 ? null : inbox.getMessage(inbox.getMessageCount()).getSubject();
        } finally {
            inbox.close(false);
        }
    }

    @Test
    void connect_sessionWithConnector_readsBackMailSentOverSmtp() throws Exception {
        TestMailConnector connector = new TestMailConnector(settings().build(), TestTokens.sequence(TOKEN));
        deliver(connector, MAILBOX, "read me back");

        Store store = connector.session().getStore("imaps");
        assertThat(store).isInstanceOf(OAuth2ImapStore.class);
        store.connect();
        try {
            assertThat(store.isConnected()).isTrue();
            assertThat(firstSubject(store)).isEqualTo("read me back");
            assertThat(((OAuth2ImapStore) store).tokenExpiresAt()).isNotNull();
        } finally {
            store.close();
        }
        assertThat(store.isConnected()).isFalse();
    }

    @Test
    void connect_sessionDebugOn_traceShowsNoToken() throws Exception {
        TestMailConnector connector = new TestMailConnector(settings().build(), TestTokens.sequence("stale-imap", TOKEN));
        Session session = connector.session();
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        session.setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
        session.setDebug(true);
        Store store = session.getStore("imaps");
        try (LogCapture log = new LogCapture()) {
            store.connect();
            store.getFolder("INBOX").exists();
            store.close();
            String all = trace.toString(StandardCharsets.UTF_8) + log.all();
            assertThat(all).contains("CAPABILITY");
            for (String secret : new String[] {TOKEN, "stale-imap", b64("user=" + MAILBOX + "\u0001auth=Bearer " + TOKEN
                    + "\u0001\u0001")}) {
                assertThat(all).doesNotContain(secret);
            }
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void connect_passwordArgumentGiven_ignoredAndTokenUsed() throws Exception {
        TestMailConnector connector = new TestMailConnector(settings().build(), TestTokens.sequence(TOKEN));
        Store store = connector.session().getStore("imap");
        store.connect(null, "not-the-token");
        try {
            assertThat(store.getDefaultFolder()).isNotNull();
            assertThat(store.getPersonalNamespaces()).isNotEmpty();
        } finally {
            store.close();
        }
    }

    @Test
    void connect_tokenRevokedBetweenConnects_reconnectsWithFreshToken() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN, "imap-token-2");
        TestMailConnector connector = new TestMailConnector(settings().build(), tokens);
        deliver(connector, MAILBOX, "before rotation");
        Store store = connector.session().getStore("imaps");
        store.connect();
        assertThat(firstSubject(store)).isEqualTo("before rotation");

        GREEN_MAIL.getUserManager().getUserByEmail(MAILBOX).setPassword("imap-token-2");
        store.close();
        store.connect();
        try {
            assertThat(firstSubject(store)).isEqualTo("before rotation");
        } finally {
            store.close();
        }
        assertThat(tokens.invalidatedValues()).containsExactly(TOKEN);
    }

    @Test
    void openSecondFolder_freshTokenRejectedToo_reasonLoggedCountedAndReportedAsOam227() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN, "imap-wrong-1", "imap-wrong-2");
        TestMailConnector connector = new TestMailConnector(settings().build(), tokens);
        deliver(connector, MAILBOX, "folder fails");
        Store store = connector.session().getStore("imaps");
        store.connect();
        Folder first = store.getFolder("INBOX");
        first.open(Folder.READ_ONLY);
        try (io.github.oauth2mail.testing.LogCapture log = new io.github.oauth2mail.testing.LogCapture()) {
            GREEN_MAIL.getUserManager().getUserByEmail(MAILBOX).setPassword("imap-revoked");
            tokens.invalidate(MAILBOX, tokens.token(MAILBOX)); // the cached token is gone: the folder asks afresh
            Folder second = store.getFolder("INBOX");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.open(Folder.READ_ONLY))
                    .isInstanceOf(jakarta.mail.MessagingException.class);
            assertThat(connector.storeOutcomes()).as("reported to metrics and health like the store's own login")
                    .last().asString().startsWith("IMAP OAM227").contains(MAILBOX);
            assertThat(log.all()).as("the reason the IMAP provider drops is in the log")
                    .contains("OAM227").contains("a folder connection of mailbox " + MAILBOX);
        } finally {
            first.close(false);
            store.close();
            GREEN_MAIL.getUserManager().getUserByEmail(MAILBOX).setPassword(TOKEN);
        }
    }

    @Test
    void openSecondFolder_tokenRotatedWhileConnected_newConnectionRetriesOnceWithFreshToken() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN, "imap-token-rotated");
        TestMailConnector connector = new TestMailConnector(settings().build(), tokens);
        deliver(connector, MAILBOX, "two folders open");
        Store store = connector.session().getStore("imaps");
        store.connect();
        Folder first = store.getFolder("INBOX");
        first.open(Folder.READ_ONLY);
        try {
            GREEN_MAIL.getUserManager().getUserByEmail(MAILBOX).setPassword("imap-token-rotated");
            // a second open folder needs a connection of its own: it must log in with a fresh token
            Folder second = store.getFolder("INBOX");
            second.open(Folder.READ_ONLY);
            try {
                assertThat(second.getMessage(second.getMessageCount()).getSubject()).isEqualTo("two folders open");
            } finally {
                second.close(false);
            }
            assertThat(tokens.invalidatedValues()).containsExactly(TOKEN);
        } finally {
            first.close(false);
            store.close();
            GREEN_MAIL.getUserManager().getUserByEmail(MAILBOX).setPassword(TOKEN);
        }
    }

    @Test
    void connect_tokenRejectedTwice_authenticationFailedAfterOneInvalidation() throws Exception {
        TestTokens tokens = TestTokens.sequence("wrong-1", "wrong-2");
        TestMailConnector connector = new TestMailConnector(settings().build(), tokens);
        Store store = connector.session().getStore("imaps");
        AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class, store::connect);
        assertThat(e.getMessage()).contains("OAM222", MAILBOX).doesNotContain("wrong-1", "wrong-2");
        assertThat(e.getMessage()).as("provider=oauth2: generic advice, no Exchange permissions")
                .contains("oauth2mail.test.scope").doesNotContain("AccessAsApp");
        assertThat(tokens.invalidatedValues()).containsExactly("wrong-1");
        assertThat(store.isConnected()).isFalse();
    }

    @Test
    void connect_entraTokenRejectedTwice_adviceNamesExchangeImapPermission() throws Exception {
        TestTokens tokens = TestTokens.sequence("wrong-e1", "wrong-e2");
        TestSettings entra = settings().set("provider", "entra").set("tenant-id", "contoso-tenant")
                .remove("token-endpoint");
        Store store = new TestMailConnector(entra.build(), tokens).session().getStore("imaps");
        AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class, store::connect);
        assertThat(e.getMessage()).contains("OAM222", MAILBOX, "IMAP.AccessAsApp");
    }

    @Test
    void connect_allowedOtherMailbox_connectsAsThatMailbox() throws Exception {
        TestMailConnector connector = new TestMailConnector(settings().set("allowed-mailboxes", OTHER).build(),
                TestTokens.sequence(TOKEN));
        Store store = connector.session().getStore("imaps");
        store.connect(OTHER, null);
        try {
            assertThat(store.getURLName().getUsername()).isEqualTo(OTHER);
            assertThat(firstSubject(store)).isNull();
        } finally {
            store.close();
        }
    }

    @Test
    void connect_mailboxNotAllowed_authenticationFailedWithoutTokenOrNetwork() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN);
        // port 1: any network attempt would fail with a connection error, not an authentication failure
        TestMailConnector connector = new TestMailConnector(TestSettings.mailbox(MAILBOX).trust(CERTS)
                .imap("127.0.0.1", 1, "implicit").build(), tokens);
        Store store = connector.session().getStore("imaps");
        assertThatThrownBy(() -> store.connect(OTHER, "whatever")).isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("oauth2mail.test.allowed-mailboxes");
        assertThat(tokens.requests()).isZero();
    }

    @Test
    void connect_otherHostNamed_refusedWithoutToken() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN);
        TestMailConnector connector = new TestMailConnector(settings().build(), tokens);
        Store store = connector.session().getStore("imaps");
        assertThatThrownBy(() -> store.connect("imap.attacker.example", MAILBOX, "x"))
                .isInstanceOf(MessagingException.class).hasMessageContaining("OAM225")
                .hasMessageContaining("oauth2mail.test.imap.host");
        assertThat(tokens.requests()).isZero();
        store.connect("127.0.0.1", GREEN_MAIL.getImaps().getPort(), MAILBOX, null);
        store.close();
    }

    @Test
    void connect_sessionWithoutConnector_clearError() throws Exception {
        Session plain = Session.getInstance(new Properties());
        for (Provider p : OAuth2ImapStore.providers()) {
            plain.setProvider(p);
        }
        Store store = plain.getStore("imaps");
        assertThatThrownBy(store::connect).isInstanceOf(MessagingException.class).hasMessageContaining("OAM224");
    }
}
