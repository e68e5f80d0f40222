package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connection factory driven as a server drives it (its own pooling connection manager), against GreenMail
 * (SMTPS + IMAPS, XOAUTH2 token = the user's password) and the local HTTPS token issuer (generic OAuth2 source).
 */
class PooledSendTest {

    static final String A = "alice@example.com";
    static final String B = "bob@example.com";
    static final String RCPT = "rcpt@example.org";
    // short enough for an inline initial response: GreenMail does not support the two-step AUTH XOAUTH2
    static final String TOKEN1 = "token-one-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static final String TOKEN2 = "token-two-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    static final String SECRET = "client-secret-value-S3cr3t";

    static final TestCertificates CERTS = GreenMailTls.certificates();
    static final int SMTPS_PORT = freePort();
    static final int IMAPS_PORT = freePort();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            new ServerSetup(SMTPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
            new ServerSetup(IMAPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)});

    static TestTokenIssuer issuer;
    static LogCapture logs;

    OAuth2MailManagedConnectionFactory mcf;

    @BeforeAll
    static void startIssuer() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
        logs = new LogCapture();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
        String all = logs.all();
        logs.close();
        assertThat(all).as("captured logs").doesNotContain(TOKEN1).doesNotContain(TOKEN2).doesNotContain(SECRET);
    }

    @BeforeEach
    void setUp() {
        issuer.stubToken(TOKEN1, 3600);
        issuer.resetRequests();
        users(TOKEN1);
        mcf = factory("pool", Map.of());
    }

    @AfterEach
    void tearDown() {
        mcf.close();
    }

    static void users(String token) {
        GREEN_MAIL.setUser(A, A, token);
        GREEN_MAIL.setUser(B, B, token);
        GREEN_MAIL.setUser(RCPT, RCPT, "rcpt-password");
    }

    static OAuth2MailManagedConnectionFactory factory(String name, Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>();
        String p = "oauth2mail." + name + ".";
        m.put(p + "provider", "oauth2");
        m.put(p + "token-endpoint", issuer.tokenEndpoint());
        m.put(p + "client-id", "pool-client");
        m.put(p + "client-secret", SECRET);
        m.put(p + "scope", "https://mail.example.com/.default");
        m.put(p + "mailbox", A);
        m.put(p + "allowed-mailboxes", B);
        m.put(p + "smtp.host", "127.0.0.1");
        m.put(p + "smtp.port", String.valueOf(SMTPS_PORT));
        m.put(p + "smtp.tls", "implicit");
        m.put(p + "imap.host", "127.0.0.1");
        m.put(p + "imap.port", String.valueOf(IMAPS_PORT));
        m.put(p + "imap.tls", "implicit");
        m.put(p + "connect-timeout-ms", "5000");
        m.put(p + "read-timeout-ms", "10000");
        m.put(p + "mail-debug", "true");
        m.putAll(issuer.trustKeys(name));
        overrides.forEach((k, v) -> {
            if (v == null) {
                m.remove(p + k);
            } else {
                m.put(p + k, v);
            }
        });
        return new OAuth2MailManagedConnectionFactory(name, SettingsSource.of(m));
    }

    static MimeMessage message(Session session, String from, String subject) throws MessagingException {
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(from));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(RCPT));
        msg.setSubject(subject);
        msg.setText("body of " + subject);
        return msg;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Session session() throws ResourceException {
        return (Session) mcf.createConnectionFactory();
    }

    @Test
    void send_200MessagesFrom8ThreadsForTwoMailboxes_atMostThreeConnectionsEachAndNoCrossOver() throws Exception {
        Session session = session();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 25; i++) {
                    boolean asB = (i + thread) % 2 == 0;
                    MimeMessage msg = message(session, asB ? B : A, "t" + thread + "-m" + i);
                    if (asB) {
                        Transport.send(msg, B, "the password argument is ignored");
                    } else {
                        Transport.send(msg);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : results) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).hasSize(200);
        for (MimeMessage m : received) {
            String from = ((InternetAddress) m.getFrom()[0]).getAddress();
            // MAIL FROM is the mailbox the connection authenticated as: GreenMail records it as Return-Path
            assertThat(m.getHeader("Return-Path")[0]).as("envelope of " + m.getSubject()).isEqualTo("<" + from + ">");
        }
        ConnectorRuntime rt = mcf.runtime();
        assertThat(rt.connectionsCreated(A)).isBetween(1, 3);
        assertThat(rt.connectionsCreated(B)).isBetween(1, 3);
        assertThat(issuer.tokenRequests()).isEqualTo(1);
    }

    @Test
    void send_tokenRotatedMidRun_oneInvalidateAndRefetchThenSendsContinue() throws Exception {
        Session session = session();
        Transport.send(message(session, A, "before rotation"));
        assertThat(issuer.tokenRequests()).isEqualTo(1);

        issuer.stubToken(TOKEN2, 3600);
        users(TOKEN2);
        // B has no pooled connection yet: its new connection presents the cached TOKEN1, gets 535, refetches once
        for (int i = 0; i < 5; i++) {
            Transport.send(message(session, B, "after rotation " + i), B, null);
            Transport.send(message(session, A, "pooled A " + i));
        }
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(11);
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void send_serverRestartedUnderPool_connectionReplacedAndNoDuplicates() throws Exception {
        Session session = session();
        for (int i = 0; i < 3; i++) {
            Transport.send(message(session, A, "before restart " + i));
        }
        int before = mcf.runtime().connectionsCreated(A);
        GREEN_MAIL.stop();
        GREEN_MAIL.start();
        users(TOKEN1);
        GREEN_MAIL.purgeEmailFromAllMailboxes();

        int ok = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            try {
                Transport.send(message(session, A, "after restart " + i));
                ok++;
            } catch (MessagingException e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures).as("the broken connection failed before DATA, so the send was retried once").isEmpty();
        assertThat(GREEN_MAIL.getReceivedMessages()).as("one delivery per successful send, no duplicate").hasSize(ok);
        assertThat(mcf.runtime().connectionsCreated(A)).isGreaterThan(before);
    }

    @Test
    void store_imapOfConnectorSession_readsBackSentMailWithXoauth2() throws Exception {
        GREEN_MAIL.setUser(RCPT, RCPT, TOKEN1);
        OAuth2MailManagedConnectionFactory reader = factory("reader", Map.of("mailbox", RCPT, "allowed-mailboxes", ""));
        try {
            Session sendSession = session();
            Transport.send(message(sendSession, A, "read me back"));
            Session readSession = (Session) reader.createConnectionFactory();
            Store store = readSession.getStore();
            store.connect();
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessages()).extracting(Message::getSubject).contains("read me back");
                inbox.close(false);
            } finally {
                store.close();
            }
        } finally {
            reader.close();
        }
    }

    @Test
    void send_mailboxNotAllowed_refusedBeforeAnyNetworkTraffic() throws Exception {
        Session session = session();
        assertThatThrownBy(() -> Transport.send(message(session, "mallory@example.com", "spoof"),
                "mallory@example.com", "whatever-password"))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("OAM203")
                .hasMessageContaining("oauth2mail.pool.allowed-mailboxes")
                .hasMessageNotContaining("whatever-password");
        assertThat(issuer.tokenRequests()).isZero();
        assertThat(mcf.runtime().connectionsCreated()).isZero();
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void createConnectionFactory_missingMailboxAndBadPort_errorNamesEveryKey() {
        OAuth2MailManagedConnectionFactory bad = factory("bad", mapOf("mailbox", null, "smtp.port", "smtp"));
        assertThatThrownBy(bad::createConnectionFactory)
                .isInstanceOf(ResourceException.class)
                .hasMessageContaining("oauth2mail.bad.mailbox")
                .hasMessageContaining("oauth2mail.bad.smtp.port")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void send_mailboxUnknownToServer_authenticationFailedWithServerReply() throws Exception {
        OAuth2MailManagedConnectionFactory f = factory("unknown", Map.of("mailbox", "nobody@example.com"));
        try {
            Session session = (Session) f.createConnectionFactory();
            assertThatThrownBy(() -> Transport.send(message(session, "nobody@example.com", "x")))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("535");
            assertThat(issuer.tokenRequests()).as("one fetch, one forced refetch after 535, no loop").isEqualTo(2);
        } finally {
            f.close();
        }
    }

    private static Map<String, String> mapOf(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new HashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
