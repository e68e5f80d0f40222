package io.github.oauth2mail.ops;

import static io.github.oauth2mail.ops.OpsTesting.A;
import static io.github.oauth2mail.ops.OpsTesting.B;
import static io.github.oauth2mail.ops.OpsTesting.RCPT;
import static io.github.oauth2mail.ops.OpsTesting.SECRET;
import static io.github.oauth2mail.ops.OpsTesting.TOKEN1;
import static io.github.oauth2mail.ops.OpsTesting.TOKEN2;
import static io.github.oauth2mail.ops.OpsTesting.attribute;
import static io.github.oauth2mail.ops.OpsTesting.mbeanName;
import static io.github.oauth2mail.ops.OpsTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.jca.OAuth2MailResourceAdapter;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connector MBean read through the platform MBeanServer while a connection factory sends through GreenMail (SMTPS,
 * XOAUTH2 token = the user's password) with tokens from the local HTTPS issuer.
 */
class ConnectorMetricsJmxTest {

    static final TestCertificates CERTS = GreenMailTls.certificates();
    static final int SMTPS_PORT = OpsTesting.freePort();
    static final int IMAPS_PORT = OpsTesting.freePort();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            new ServerSetup(SMTPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
            new ServerSetup(IMAPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)});

    static TestTokenIssuer issuer;
    static LogCapture logs;
    final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
        logs = new LogCapture();
    }

    @AfterAll
    static void stop() {
        issuer.close();
        String all = logs.all();
        logs.close();
        assertThat(all).doesNotContain(SECRET).doesNotContain(TOKEN1).doesNotContain(TOKEN2);
    }

    @BeforeEach
    void users() {
        issuer.stubToken(TOKEN1, 3600);
        issuer.resetRequests();
        GREEN_MAIL.setUser(A, A, TOKEN1);
        GREEN_MAIL.setUser(B, B, TOKEN1);
        GREEN_MAIL.setUser(RCPT, RCPT, "rcpt-password");
    }

    private static OAuth2MailManagedConnectionFactory factory(String name) {
        return OpsTesting.factory(name, OpsTesting.settings(name, issuer, SMTPS_PORT, "implicit"));
    }

    @Test
    void attributes_failedIssuerRetryFiveSendsAndRotation_exactCountsAndGoneAfterClose() throws Exception {
        OAuth2MailManagedConnectionFactory mcf = factory("jmx");
        Session session = (Session) mcf.createConnectionFactory();
        ObjectName name = mbeanName("jmx");
        assertThat(jmx.isRegistered(name)).isTrue();

        // 1. the issuer rejects the client: the send fails with no token
        issuer.stubError(401, "invalid_client", "client authentication failed", "corr-jmx-1");
        assertThatThrownBy(() -> Transport.send(message(session, A, "no token"))).isInstanceOf(MessagingException.class);
        assertThat(attribute("jmx", "TokenFailuresPermanent")).isEqualTo(1L);
        assertThat(attribute("jmx", "TokenFailuresTransient")).isEqualTo(0L);
        assertThat(attribute("jmx", "TokenFailuresByCode")).isEqualTo("invalid_client=1");
        assertThat(attribute("jmx", "SendsFailed")).isEqualTo(1L);
        assertThat(attribute("jmx", "SendsFailedToken")).isEqualTo(1L);
        assertThat(attribute("jmx", "LastErrorCode")).isEqualTo("invalid_client");
        assertThat(attribute("jmx", "LastErrorCorrelationId")).isEqualTo("corr-jmx-1");
        assertThat(attribute("jmx", "LastErrorTime")).isInstanceOf(Date.class);
        assertThat(attribute("jmx", "HealthStatus")).isEqualTo("DOWN");

        // 2. the issuer recovers; the admin lifts the back-off through JMX
        issuer.stubToken(TOKEN1, 3600);
        String afterRetry = (String) jmx.invoke(name, "retryToken", new Object[0], new String[0]);
        assertThat(afterRetry).startsWith("UP");
        assertThat(attribute("jmx", "TokensAcquired")).isEqualTo(1L);

        // 3. five sends through one pooled connection
        for (int i = 0; i < 5; i++) {
            Transport.send(message(session, A, "ok " + i));
        }
        // 4. the token is rotated at the server: B's new connection gets 535, the token is invalidated and refetched
        issuer.stubToken(TOKEN2, 3600);
        GREEN_MAIL.setUser(B, B, TOKEN2);
        Transport.send(message(session, B, "after rotation"), B, null);

        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(6);
        assertThat(attribute("jmx", "SendsSucceeded")).isEqualTo(6L);
        assertThat(attribute("jmx", "SendsFailed")).isEqualTo(1L);
        assertThat(attribute("jmx", "SendsFailedAuth")).isEqualTo(0L);
        assertThat(attribute("jmx", "TokensAcquired")).isEqualTo(1L);
        assertThat(attribute("jmx", "TokensRefreshed")).isEqualTo(1L);
        assertThat(attribute("jmx", "TokenInvalidations")).isEqualTo(1L);
        assertThat(attribute("jmx", "CredentialSwitches")).isEqualTo(0L);
        assertThat(attribute("jmx", "ConnectionsCreated")).isEqualTo(2L);
        assertThat(attribute("jmx", "ConnectionsDestroyed")).isEqualTo(0L);
        assertThat(attribute("jmx", "ConnectionsOpen")).isEqualTo(2);
        assertThat(attribute("jmx", "ConnectionsInUse")).isEqualTo(0);
        assertThat(attribute("jmx", "ConnectionsIdle")).isEqualTo(2);
        assertThat(attribute("jmx", "LastSuccess")).isInstanceOf(Date.class);
        assertThat((Date) attribute("jmx", "TokenExpiry")).isAfter(new Date());
        assertThat(attribute("jmx", "ActiveCredential")).isEqualTo("client-secret");
        assertThat(attribute("jmx", "HealthStatus")).isEqualTo("UP");
        assertThat(attribute("jmx", "MailServer")).isEqualTo("127.0.0.1:" + SMTPS_PORT + " (implicit)");

        String audit = logs.all();
        assertThat(audit).contains("OAM403 token request failed connector=jmx tenant=null client=ops-client mailbox="
                + A + " credential=client-secret kind=PERMANENT code=invalid_client correlationId=corr-jmx-1");
        assertThat(audit).contains("OAM401 token acquired connector=jmx").contains("OAM404 token invalidated connector=jmx")
                .contains("OAM402 token refreshed connector=jmx");

        mcf.close();
        assertThat(jmx.isRegistered(name)).as("MBean unregistered on close").isFalse();
    }

    @Test
    void attributes_mailboxUnknownToServer_authFailureCountedAuditedAndHealthDown() throws Exception {
        Map<String, String> s = OpsTesting.settings("jmx-auth", issuer, SMTPS_PORT, "implicit");
        s.put("oauth2mail.jmx-auth.mailbox", "nobody@example.com");
        OAuth2MailManagedConnectionFactory mcf = OpsTesting.factory("jmx-auth", s);
        try {
            Session session = (Session) mcf.createConnectionFactory();
            assertThatThrownBy(() -> Transport.send(message(session, "nobody@example.com", "x")))
                    .isInstanceOf(AuthenticationFailedException.class);
            assertThat(attribute("jmx-auth", "SendsFailedAuth")).isEqualTo(1L);
            assertThat(attribute("jmx-auth", "SendsFailed")).isEqualTo(1L);
            assertThat(attribute("jmx-auth", "TokenInvalidations")).isEqualTo(1L);
            assertThat((String) attribute("jmx-auth", "LastErrorCode")).startsWith("535");
            assertThat(attribute("jmx-auth", "HealthStatus")).isEqualTo("DOWN");
            assertThat((String) attribute("jmx-auth", "HealthReason")).startsWith("OAM432").contains("535");
            assertThat(logs.all()).contains("OAM406 mail server authentication failed connector=jmx-auth tenant=null "
                    + "client=ops-client mailbox=nobody@example.com server=127.0.0.1:" + SMTPS_PORT + " code=535");
        } finally {
            mcf.close();
        }
    }

    @Test
    void audit_imapServerRejectsFreshTokenToo_oam406WithProtocolAndServer() throws Exception {
        Map<String, String> s = OpsTesting.settings("jmx-imap", issuer, SMTPS_PORT, "implicit");
        s.put("oauth2mail.jmx-imap.mailbox", "nobody@example.com");
        s.put("oauth2mail.jmx-imap.imap.host", "127.0.0.1");
        s.put("oauth2mail.jmx-imap.imap.port", String.valueOf(IMAPS_PORT));
        s.put("oauth2mail.jmx-imap.imap.tls", "implicit");
        OAuth2MailManagedConnectionFactory mcf = OpsTesting.factory("jmx-imap", s);
        try {
            Session session = (Session) mcf.createConnectionFactory();
            Store store = session.getStore("imaps");
            assertThatThrownBy(store::connect).isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("OAM222");
            assertThat(logs.all()).contains("OAM406 mail server authentication failed connector=jmx-imap tenant=null "
                    + "client=ops-client mailbox=nobody@example.com protocol=IMAP server=127.0.0.1:" + IMAPS_PORT
                    + " code=rejected");
            assertThat(attribute("jmx-imap", "TokenInvalidations")).isEqualTo(1L);
        } finally {
            mcf.close();
        }
    }

    @Test
    void attributes_imapRejectsTokenTwice_countedAsStoreAuthFailureAndHealthDownUntilImapConnects() throws Exception {
        Map<String, String> s = OpsTesting.settings("jmx-imap2", issuer, SMTPS_PORT, "implicit");
        s.put("oauth2mail.jmx-imap2.allowed-mailboxes", "nobody@example.com");
        s.put("oauth2mail.jmx-imap2.imap.host", "127.0.0.1");
        s.put("oauth2mail.jmx-imap2.imap.port", String.valueOf(IMAPS_PORT));
        s.put("oauth2mail.jmx-imap2.imap.tls", "implicit");
        OAuth2MailManagedConnectionFactory mcf = OpsTesting.factory("jmx-imap2", s);
        try {
            Session session = (Session) mcf.createConnectionFactory();
            Store refused = session.getStore("imaps");
            assertThatThrownBy(() -> refused.connect(null, -1, "nobody@example.com", null))
                    .isInstanceOf(AuthenticationFailedException.class).hasMessageStartingWith("OAM222");
            assertThat(attribute("jmx-imap2", "StoreFailures")).isEqualTo(1L);
            assertThat(attribute("jmx-imap2", "StoreFailuresAuth")).isEqualTo(1L);
            assertThat(attribute("jmx-imap2", "SendsFailed")).isEqualTo(0L);
            assertThat((String) attribute("jmx-imap2", "LastErrorMessage")).startsWith("OAM222");
            assertThat(attribute("jmx-imap2", "HealthStatus")).isEqualTo("DOWN");
            assertThat((String) attribute("jmx-imap2", "HealthReason"))
                    .startsWith("OAM432 mail server IMAP 127.0.0.1:" + IMAPS_PORT + " refused the connection");

            Store store = session.getStore("imaps");
            store.connect();
            store.close();
            assertThat(attribute("jmx-imap2", "HealthStatus")).isEqualTo("UP");
            assertThat(attribute("jmx-imap2", "StoreFailures")).isEqualTo(1L);
        } finally {
            mcf.close();
        }
    }

    @Test
    void attributes_pop3ServerUnreachable_countedAsStoreConnectionFailureAndHealthDown() throws Exception {
        int closed = OpsTesting.freePort();
        Map<String, String> s = OpsTesting.settings("jmx-pop3", issuer, SMTPS_PORT, "implicit");
        s.put("oauth2mail.jmx-pop3.pop3.host", "127.0.0.1");
        s.put("oauth2mail.jmx-pop3.pop3.port", String.valueOf(closed));
        s.put("oauth2mail.jmx-pop3.pop3.tls", "implicit");
        OAuth2MailManagedConnectionFactory mcf = OpsTesting.factory("jmx-pop3", s);
        try {
            Session session = (Session) mcf.createConnectionFactory();
            Store store = session.getStore("pop3s");
            assertThatThrownBy(store::connect).isInstanceOf(MessagingException.class).hasMessageStartingWith("OAM226");
            assertThat(attribute("jmx-pop3", "StoreFailuresConnection")).isEqualTo(1L);
            assertThat(attribute("jmx-pop3", "StoreFailures")).isEqualTo(1L);
            assertThat(attribute("jmx-pop3", "HealthStatus")).isEqualTo("DOWN");
            assertThat((String) attribute("jmx-pop3", "HealthReason"))
                    .startsWith("OAM432 mail server POP3 127.0.0.1:" + closed + " refused the connection");
        } finally {
            mcf.close();
        }
    }

    @Test
    void attributes_throttledAndQuotaReplies_countedByClass() throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.startTls(CERTS.serverContext()).acceptTokens(TOKEN1)) {
            java.util.Map<String, String> keys = OpsTesting.settings("jmx-limits", issuer, smtp.port(), "starttls");
            keys.put("oauth2mail.jmx-limits.send-deadline-ms", "0"); // the refusals reach the app (no retry)
            OAuth2MailManagedConnectionFactory mcf = OpsTesting.factory("jmx-limits", keys);
            try {
                Session session = (Session) mcf.createConnectionFactory();
                smtp.reply("MAIL", "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded");
                assertThatThrownBy(() -> Transport.send(message(session, A, "throttled")))
                        .isInstanceOf(MessagingException.class);
                smtp.reply("MAIL", "250 2.1.0 Sender OK");
                smtp.reply(".", "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed "
                        + "to process message due to a permanent exception");
                assertThatThrownBy(() -> Transport.send(message(session, A, "quota")))
                        .isInstanceOf(MessagingException.class);
                smtp.reply(".", "250 2.0.0 OK queued");
                Transport.send(message(session, A, "fine"));

                assertThat(attribute("jmx-limits", "SendsFailedThrottled")).isEqualTo(1L);
                assertThat(attribute("jmx-limits", "SendsFailedQuota")).isEqualTo(1L);
                assertThat(attribute("jmx-limits", "SendsFailed")).isEqualTo(2L);
                assertThat(attribute("jmx-limits", "SendsSucceeded")).isEqualTo(1L);
                assertThat(attribute("jmx-limits", "LastErrorCode")).isEqualTo("554 5.2.0");
                assertThat(attribute("jmx-limits", "MailboxLimits")).as("432 halved this node's limit (3 -> 1)")
                        .isEqualTo(A.toLowerCase(java.util.Locale.ROOT) + "=1");
                assertThat(attribute("jmx-limits", "PermanentRefusals")).as("5xx refusals per mailbox")
                        .isEqualTo(A.toLowerCase(java.util.Locale.ROOT) + "=1");
            } finally {
                mcf.close();
            }
        }
    }

    @Test
    void adapterStop_serverUndeploysAdapter_mbeanUnregistered() throws Exception {
        OAuth2MailResourceAdapter ra = new OAuth2MailResourceAdapter();
        ra.start(null);
        OAuth2MailManagedConnectionFactory mcf = factory("redeploy");
        mcf.setResourceAdapter(ra);
        Transport.send(message((Session) mcf.createConnectionFactory(), A, "before undeploy"));
        assertThat(jmx.isRegistered(mbeanName("redeploy"))).isTrue();

        ra.stop();

        assertThat(jmx.isRegistered(mbeanName("redeploy"))).as("no MBean left after undeploy").isFalse();
        mcf.close();
    }

    @Test
    void register_secondFactorySameName_getsInstanceNameAndBothUnregister() throws Exception {
        OAuth2MailManagedConnectionFactory first = factory("twin");
        // equal factories share one runtime and MBean; other settings under one ConfigName get ,instance=2
        Map<String, String> other = OpsTesting.settings("twin", issuer, SMTPS_PORT, "implicit");
        other.put("oauth2mail.twin.max-connections-per-mailbox", "2");
        OAuth2MailManagedConnectionFactory second = OpsTesting.factory("twin", other);
        first.createConnectionFactory();
        second.createConnectionFactory();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("io.github.oauth2mail:type=Connector,name=twin,*"), null);
        assertThat(names).extracting(ObjectName::toString).containsExactlyInAnyOrder(
                "io.github.oauth2mail:type=Connector,name=twin", "io.github.oauth2mail:type=Connector,name=twin,instance=2");
        first.close();
        second.close();
        assertThat(jmx.queryNames(new ObjectName("io.github.oauth2mail:type=Connector,name=twin,*"), null)).isEmpty();
    }
}
