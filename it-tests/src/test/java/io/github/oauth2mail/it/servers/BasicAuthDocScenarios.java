package io.github.oauth2mail.it.servers;

import io.github.oauth2mail.it.support.Cleanup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.DocBlocks;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.MailServer;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import io.github.oauth2mail.it.support.TokenIssuer;
import io.github.oauth2mail.testing.TestCertificates;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docs/migrating.md run as written on a fresh unzip: the server's own mail session with a user name and password
 * (the block marked {@code <server>-basic-auth}) sends the unchanged sample app's mail with a password login to
 * GreenMail; then the page's switch ({@code <server>-switch}, and for WildFly docs/servers.md's setup block) moves
 * {@code mail/office365} to the connector, and the next mail goes with XOAUTH2. Then, on that running server, the
 * page's "Running both" blocks: the basic-auth resource parked under a second name ({@code <server>-both}: mail still
 * goes with XOAUTH2), switching back ({@code <server>-switch-back}: a password login, no token) and switching to the
 * connector again ({@code <server>-switch-running}: XOAUTH2), one server start for all three. The placeholders are those of
 * docs/servers.md plus the page's {@code MAIL_*} variables ({@link #MAIL_PLACEHOLDERS}), as environment variables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class BasicAuthDocScenarios {

    /** The page. */
    public static final Path MIGRATING = DocBlocks.doc("migrating.md");
    /** The variables the page's basic-auth blocks read besides docs/servers.md's placeholders (as Payara's block). */
    public static final List<String> MAIL_PLACEHOLDERS =
            List.of("MAIL_HOST", "MAIL_USER", "MAIL_PASSWORD", "MAIL_SMTPS_PORT", "MAIL_IMAPS_PORT");
    /** The page's blocks for each server, in the order the tests run them ({@link #block}). */
    public static final List<String> BLOCKS = List.of("basic-auth", "switch", "both", "switch-back", "switch-running");
    /** The mailbox password GreenMail accepts for PLAIN/LOGIN. */
    static final String PASSWORD = "basic-password-1";

    private MailServer mail;
    private TokenIssuer issuer;
    private AppServer basic;
    private AppServer connector;
    private Map<String, String> demo;
    private Map<String, String> env;
    /** The server JVM's trust of GreenMail's certificate, for the server's own mail session (basic auth). */
    private String trust;

    /** Which server. */
    protected abstract DocSetup.Kind kind();

    /** The page's blocks for this server: {@code wildfly} gives {@code wildfly-basic-auth}, {@code wildfly-switch}. */
    public static String block(DocSetup.Kind kind, String what) {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + what;
    }

    /** The page's placeholders filled from the fixture's values; the host by name, as the certificate has it. */
    static Map<String, String> placeholders(DocSetup.Kind kind, Path home, Map<String, String> demo) {
        Map<String, String> p = new LinkedHashMap<>(DocSetup.placeholders(kind, home, demo));
        p.put("MAIL_HOST", "localhost");
        p.put("MAIL_USER", demo.get("OAUTH2MAIL_DEMO_MAILBOX"));
        p.put("MAIL_PASSWORD", PASSWORD);
        p.put("MAIL_SMTPS_PORT", demo.get("OAUTH2MAIL_DEMO_SMTP_PORT"));
        p.put("MAIL_IMAPS_PORT", demo.get("OAUTH2MAIL_DEMO_IMAP_PORT"));
        return p;
    }

    @BeforeAll
    void start() throws Exception {
        String name = getClass().getSimpleName();
        TestCertificates certs = Layout.certificates();
        Path trustStore = ConnectorFixture.withPassword(certs.trustStore(), Layout.work(name).resolve("trust.p12"));
        // GreenMail with a password login only, as the mail server before the switch (a token validator set on the
        // mailbox would check every login, PLAIN and LOGIN too, as a token)
        mail = MailServer.start(certs, ConnectorFixture.MAILBOX, PASSWORD);
        issuer = TokenIssuer.start(certs, ConnectorFixture.CLIENT_ID, ConnectorFixture.CLIENT_SECRET, 3600, t -> { });
        demo = new LinkedHashMap<>();
        demo.put("OAUTH2MAIL_DEMO_TOKEN_ENDPOINT", issuer.endpoint().toString());
        demo.put("OAUTH2MAIL_DEMO_CLIENT_ID", ConnectorFixture.CLIENT_ID);
        demo.put("OAUTH2MAIL_DEMO_CLIENT_SECRET", ConnectorFixture.CLIENT_SECRET);
        demo.put("OAUTH2MAIL_DEMO_SCOPE", ConnectorFixture.SCOPE);
        demo.put("OAUTH2MAIL_DEMO_MAILBOX", ConnectorFixture.MAILBOX);
        demo.put("OAUTH2MAIL_DEMO_SMTP_HOST", MailServer.HOST);
        demo.put("OAUTH2MAIL_DEMO_SMTP_PORT", String.valueOf(mail.smtpsPort()));
        demo.put("OAUTH2MAIL_DEMO_IMAP_HOST", MailServer.HOST);
        demo.put("OAUTH2MAIL_DEMO_IMAP_PORT", String.valueOf(mail.imapsPort()));
        demo.put("OAUTH2MAIL_DEMO_TRUST_STORE_PATH", trustStore.toString());
        demo.put("OAUTH2MAIL_DEMO_TRUST_STORE_PASSWORD", ConnectorFixture.TRUST_STORE_PASSWORD);

        Path home = DocSetup.freshHome(kind(), name);
        env = ServerLayout.withJavaHome(placeholders(kind(), home, demo));
        DocSetup.runBlock(name, MIGRATING, block(kind(), "basic-auth"), env, "basic-auth-setup");
        // the server's own mail session trusts through the JVM's trust store, as an admin configures it
        trust = "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword="
                + ConnectorFixture.TRUST_STORE_PASSWORD + " -Djavax.net.ssl.trustStoreType=PKCS12";
        basic = DocSetup.launch(kind(), name, startBlock(), env, trust, "basic-auth-console");
        System.out.printf("%s, basic auth by docs/migrating.md, ready in %d ms%n", kind(), basic.startupMillis());
    }

    @AfterAll
    void stop() {
        Cleanup.closeAll(connector, basic, issuer, mail);
    }

    @Test
    @Order(1)
    void send_serversOwnMailSessionFromThePage_logsInWithThePassword() throws Exception {
        Reply reply = new SampleAppClient(basic.sampleApp()).send("someone@example.org", "basic auth by the page", "sent with a password");

        assertThat(reply.status()).as(reply.body() + "\nlog: " + basic.logLocation()).isEqualTo(200);
        assertThat(received("basic auth by the page")).singleElement().satisfies(m -> assertThat(m.getFrom())
                .containsExactly(new InternetAddress(ConnectorFixture.MAILBOX)));
        assertThat(mail.smtpLogins()).as("how GreenMail saw each mail transaction authenticated")
                .isNotEmpty().allMatch(login -> login.matches("(LOGIN|PLAIN) " + ConnectorFixture.MAILBOX));
        assertThat(issuer.issuedCount()).as("no token before the switch").isZero();
    }

    @Test
    @Order(2)
    void send_afterThePagesSwitchToTheConnector_logsInWithXoauth2() throws Exception {
        basic.close();
        // the tenant turns basic auth off: from now on the mailbox accepts exactly the issuer's tokens
        mail.acceptTokensFrom(issuer);
        String name = getClass().getSimpleName();
        DocSetup.runBlock(name, MIGRATING, block(kind(), "switch"), env, "switch");
        if (kind() == DocSetup.Kind.WILDFLY) {
            DocSetup.runBlock(name, kind().doc(), kind().blocks().get(0), env, "setup");
        }
        Map<String, String> startEnv = new LinkedHashMap<>(env);
        startEnv.put("OAUTH2MAIL_OFFICE365_TRUST_STORE_PATH", demo.get("OAUTH2MAIL_DEMO_TRUST_STORE_PATH"));
        startEnv.put("OAUTH2MAIL_OFFICE365_TRUST_STORE_PASSWORD", demo.get("OAUTH2MAIL_DEMO_TRUST_STORE_PASSWORD"));
        connector = DocSetup.launch(kind(), name, DocBlocks.block(DocBlocks.doc(DocSetup.DOC), "oauth2-settings")
                + "\n" + startBlock(), startEnv, trust, "connector-console");
        int before = mail.smtpLogins().size();

        Reply reply = new SampleAppClient(connector.sampleApp()).send("someone@example.org", "switched by the page",
                "sent with a token");

        assertThat(reply.status()).as(reply.body() + "\nlog: " + connector.logLocation()).isEqualTo(200);
        assertThat(received("switched by the page")).hasSize(1);
        List<String> logins = mail.smtpLogins();
        assertThat(logins.subList(before, logins.size())).as("the mail after the switch")
                .containsExactly("XOAUTH2 " + ConnectorFixture.MAILBOX);
        assertThat(issuer.issuedCount()).as("tokens from the endpoint of the settings block").isOne();
    }

    @Test
    @Order(3)
    void send_basicAuthParkedBesideTheConnector_stillLogsInWithXoauth2() throws Exception {
        // during the migration the tenant accepts both logins for the mailbox
        mail.acceptPasswordAndTokensFrom(issuer);
        onTheRunningServer("both");

        assertSentWith("both configured, connector in use", "XOAUTH2 " + ConnectorFixture.MAILBOX);
    }

    @Test
    @Order(4)
    void send_afterThePagesSwitchBackOnTheRunningServer_logsInWithThePassword() throws Exception {
        int tokens = issuer.issuedCount();
        onTheRunningServer("switch-back");

        assertSentWith("switched back by the page", "(LOGIN|PLAIN) " + ConnectorFixture.MAILBOX);
        assertThat(issuer.issuedCount()).as("the basic-auth resource fetches no token").isEqualTo(tokens);
    }

    @Test
    @Order(5)
    void send_afterThePagesSwitchOfTheRunningServerToTheConnector_logsInWithXoauth2() throws Exception {
        onTheRunningServer("switch-running");

        assertSentWith("switched again by the page", "XOAUTH2 " + ConnectorFixture.MAILBOX);
    }

    /**
     * Runs the page's block {@code <server>-<what>} against the running connector server (started by test 2 with the
     * page's {@code MAIL_*} variables in its environment too, and the JVM trusting GreenMail as for the before block).
     * WildFly's CLI returns once the change is applied (and the app redeployed). Liberty applies a changed
     * configuration in the background: this waits for its {@code CWWKG0017I} and, when Liberty stopped the app for it
     * ({@code CWWKZ0009I}: the connection factory the app used moved away), for the app's restart ({@code CWWKZ0003I}).
     */
    private void onTheRunningServer(String what) throws Exception {
        assertThat(connector).as("the connector server of the previous test").isNotNull();
        String log = connector.log();
        long updates = count(log, "CWWKG0017I");
        long stops = count(log, "CWWKZ0009I");
        long restarts = count(log, "CWWKZ0003I");
        DocSetup.runBlock(getClass().getSimpleName(), MIGRATING, block(kind(), what), env, what);
        if (kind() == DocSetup.Kind.LIBERTY) {
            awaitLog("CWWKG0017I", updates, what);
            if (count(connector.log(), "CWWKZ0009I") > stops) {
                awaitLog("CWWKZ0003I", restarts, what);
            }
        }
    }

    private void awaitLog(String id, long before, String what) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(count(connector.log(), id)).as("%s after %s, log: %s", id, what, connector.logLocation())
                        .isGreaterThan(before));
    }

    /** Sends one mail through the unchanged sample app and checks how its SMTP transaction logged in. */
    private void assertSentWith(String subject, String loginPattern) throws Exception {
        SentWith.assertSentWith(mail, connector, subject, loginPattern);
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    private String startBlock() {
        return DocBlocks.block(kind().doc(), kind().blocks().get(kind().blocks().size() - 1));
    }

    private List<MimeMessage> received(String subject) {
        return mail.receivedWithSubject(subject);
    }
}
