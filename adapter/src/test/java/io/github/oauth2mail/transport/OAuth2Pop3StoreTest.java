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

/** {@link OAuth2Pop3Store} against GreenMail's POP3S listener (which checks XOAUTH2), mail delivered over SMTP. */
class OAuth2Pop3StoreTest {

    static final String MAILBOX = "pop-reader@example.com";
    static final String TOKEN = "pop3-token-1";

    static final TestCertificates CERTS = GreenMailTls.certificates();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTPS.dynamicPort(), ServerSetupTest.POP3S.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, MAILBOX, TOKEN));

    private TestSettings settings() {
        return TestSettings.mailbox(MAILBOX).trust(CERTS)
                .smtp("127.0.0.1", GREEN_MAIL.getSmtps().getPort(), "implicit")
                .pop3("127.0.0.1", GREEN_MAIL.getPop3s().getPort(), "implicit");
    }

    private static void deliver(TestMailConnector connector, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(MAILBOX));
        m.addRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
        m.setSubject(subject);
        m.setText("body of " + subject);
        m.saveChanges();
        try (SmtpLease lease = connector.lease(MAILBOX)) {
            lease.send(m, m.getAllRecipients());
        }
    }

    private static String lastSubject(Store store) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        try {
            return inbox.getMessageCount() == 0 ? null : inbox.getMessage(inbox.getMessageCount()).getSubject();
        } finally {
            inbox.close(false);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void connect_pop3s_readsBackMailSentOverSmtp() throws Exception {
        TestMailConnector connector = new TestMailConnector(settings().build(), TestTokens.sequence(TOKEN));
        deliver(connector, "read me over pop3");
        for (String protocol : new String[] {"pop3s", "pop3"}) {
            Store store = connector.session().getStore(protocol);
            assertThat(store).isInstanceOf(OAuth2Pop3Store.class);
            store.connect(null, "the password argument is ignored");
            try {
                assertThat(lastSubject(store)).isEqualTo("read me over pop3");
                assertThat(store.getURLName().getProtocol()).isEqualTo("pop3s");
                assertThat(store.getURLName().getUsername()).isEqualTo(MAILBOX);
                assertThat(((OAuth2Pop3Store) store).tokenExpiresAt()).isNotNull();
            } finally {
                store.close();
            }
        }
    }

    @Test
    void connect_tokenRotatedBetweenConnects_reconnectsAfterOneInvalidation() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN, "pop3-token-2");
        TestMailConnector connector = new TestMailConnector(settings().build(), tokens);
        deliver(connector, "before rotation");
        Store store = connector.session().getStore("pop3s");
        store.connect();
        assertThat(lastSubject(store)).isEqualTo("before rotation");
        store.close();

        GREEN_MAIL.getUserManager().getUserByEmail(MAILBOX).setPassword("pop3-token-2");
        try {
            store.connect();
            try {
                assertThat(lastSubject(store)).isEqualTo("before rotation");
            } finally {
                store.close();
            }
            assertThat(tokens.invalidatedValues()).containsExactly(TOKEN);
        } finally {
            GREEN_MAIL.getUserManager().getUserByEmail(MAILBOX).setPassword(TOKEN);
        }
    }

    @Test
    void connect_tokenRejectedTwice_authenticationFailedWithAdviceAndNoToken() throws Exception {
        TestTokens tokens = TestTokens.sequence("wrong-pop-1", "wrong-pop-2");
        Store store = new TestMailConnector(settings().build(), tokens).session().getStore("pop3s");
        AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class, store::connect);
        assertThat(e.getMessage()).contains("OAM222", "OAM227", "POP3", MAILBOX, "oauth2mail.test.scope")
                .as("provider=oauth2: no Exchange permission advice (issue #18 item 6)").doesNotContain("AccessAsApp")
                .doesNotContain("wrong-pop-1", "wrong-pop-2");
        assertThat(tokens.invalidatedValues()).containsExactly("wrong-pop-1");
        assertThat(store.isConnected()).isFalse();
    }

    @Test
    void connect_sessionDebugOn_traceShowsNoToken() throws Exception {
        TestMailConnector connector = new TestMailConnector(settings().set("mail-debug", "true").build(),
                TestTokens.sequence("stale-pop", TOKEN));
        Session session = connector.session();
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        session.setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
        session.setDebug(true);
        try (LogCapture log = new LogCapture()) {
            Store store = session.getStore("pop3s");
            store.connect();
            lastSubject(store);
            store.close();
            String all = trace.toString(StandardCharsets.UTF_8) + log.all();
            assertThat(all).contains("OAM229", "C: CAPA", "C: AUTH XOAUTH2 <redacted>").doesNotContain("DEBUG POP3");
            for (String secret : new String[] {TOKEN, "stale-pop", b64("user=" + MAILBOX + "\u0001auth=Bearer " + TOKEN
                    + "\u0001\u0001")}) {
                assertThat(all).doesNotContain(secret);
            }
        }
    }

    @Test
    void connect_oauthBearerNotOfferedByServer_mechanismErrorNamingKeyAndNoTokenSent() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN);
        Store store = new TestMailConnector(settings().set("sasl-mechanism", "OAUTHBEARER").build(), tokens).session()
                .getStore("pop3s");
        assertThatThrownBy(store::connect).isInstanceOf(MessagingException.class)
                .isNotInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("OAM269").hasMessageContaining("OAUTHBEARER")
                .hasMessageContaining("oauth2mail.test.sasl-mechanism");
        assertThat(tokens.invalidatedValues()).isEmpty();
    }

    @Test
    void connect_mailboxNotAllowed_refusedWithoutToken() throws Exception {
        TestTokens tokens = TestTokens.sequence(TOKEN);
        Store store = new TestMailConnector(settings().build(), tokens).session().getStore("pop3s");
        assertThatThrownBy(() -> store.connect("someone.else@example.com", "pw"))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("OAM220")
                .hasMessageContaining("oauth2mail.test.allowed-mailboxes");
        assertThat(tokens.requests()).isZero();
    }
}
