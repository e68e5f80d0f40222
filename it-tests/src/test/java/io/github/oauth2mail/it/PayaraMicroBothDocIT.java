package io.github.oauth2mail.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.servers.Payara;
import io.github.oauth2mail.it.servers.DocSetup;
import io.github.oauth2mail.it.servers.Logs;
import io.github.oauth2mail.it.servers.SentWith;
import io.github.oauth2mail.it.support.BasicAuthFixture;
import io.github.oauth2mail.it.support.Cleanup;
import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.DocBlocks;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.MailServer;
import io.github.oauth2mail.it.support.PayaraMicro;
import io.github.oauth2mail.it.support.TokenIssuer;
import io.github.oauth2mail.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docs/migrating.md's "Payara Micro: both, switching by a restart", run as written: the block marked
 * {@code payara-micro-both} becomes the post-boot file of a first Payara Micro start (the connector on
 * {@code mail/office365}, the basic-auth resource parked beside it), the block {@code payara-micro-switch-back} that of
 * a second start. Both with the unchanged sample WAR, docs/servers.md's generic OAuth2 settings ({@code oauth2-settings})
 * and the basic-auth placeholders as the environment; the mailbox takes the password and the issuer's tokens, as
 * Exchange Online does during a migration. The additions of the test: the connector's trust store and the Payara JVM's
 * trust store for GreenMail's self-signed certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraMicroBothDocIT {

    private static final Path MIGRATING = DocBlocks.doc("migrating.md");
    /** {@code export NAME="$PLACEHOLDER"} or {@code export NAME=value}, outside comments. */
    private static final Pattern EXPORT = Pattern.compile("([A-Z][A-Z0-9_]*)=(?:\"\\$([A-Z_]+)\"|([^\\s\"#]+))");

    private MailServer mail;
    private TokenIssuer issuer;
    private Path work;
    private Map<String, String> env;
    private TestCertificates certs;
    private Payara payara;

    @BeforeAll
    void start() throws Exception {
        work = Layout.work(getClass().getSimpleName());
        certs = Layout.certificates();
        Path trustStore = ConnectorFixture.withPassword(certs.trustStore(), work.resolve("connector-trust.p12"));
        mail = MailServer.start(certs, ConnectorFixture.MAILBOX, BasicAuthFixture.PASSWORD);
        issuer = TokenIssuer.start(certs, ConnectorFixture.CLIENT_ID, ConnectorFixture.CLIENT_SECRET, 3600, t -> { });
        // during the migration the tenant accepts both logins for the mailbox
        mail.acceptPasswordAndTokensFrom(issuer);

        Map<String, String> placeholders = ConnectorFixture.oauth2Placeholders(issuer, mail);
        env = settings(DocBlocks.block(DocBlocks.doc(DocSetup.DOC), "oauth2-settings"), placeholders);
        env.put("OAUTH2MAIL_OFFICE365_TRUST_STORE_PATH", trustStore.toString());
        env.put("OAUTH2MAIL_OFFICE365_TRUST_STORE_PASSWORD", ConnectorFixture.TRUST_STORE_PASSWORD);
        env.put("OAUTH2MAIL_RAR", Layout.adapterRar().toString());
        env.put("MAIL_HOST", MailServer.HOST);
        env.put("MAIL_USER", ConnectorFixture.MAILBOX);
        env.put("MAIL_PASSWORD", BasicAuthFixture.PASSWORD);
        env.put("MAIL_SMTPS_PORT", String.valueOf(mail.smtpsPort()));
        env.put("MAIL_IMAPS_PORT", String.valueOf(mail.imapsPort()));
    }

    @AfterAll
    void stop() {
        Cleanup.closeAll(payara, issuer, mail);
    }

    @Test
    @Order(1)
    void send_startedWithTheBothFile_logsInWithXoauth2AndOneToken() throws Exception {
        payara = boot("payara-micro-both");
        assertCreated("Connector resource mail/office365 created.", "Mail Resource mail/office365-basic created.");

        SentWith.assertSentWith(mail, payara, "micro: both, connector in use", "XOAUTH2 " + ConnectorFixture.MAILBOX);
        assertThat(issuer.issuedCount()).as("tokens from the endpoint of the settings block").isOne();
        Logs.assertNoSecret(payara, secrets());
    }

    @Test
    @Order(2)
    void send_restartedWithTheSwitchBackFile_logsInWithThePasswordAndNoNewToken() throws Exception {
        int tokens = issuer.issuedCount();
        payara.close();
        payara = boot("payara-micro-switch-back");
        assertCreated("Connector resource mail/office365-oauth2 created.", "Mail Resource mail/office365 created.");

        SentWith.assertSentWith(mail, payara, "micro: switched back by a restart",
                "(LOGIN|PLAIN) " + ConnectorFixture.MAILBOX);
        assertThat(issuer.issuedCount()).as("the basic-auth resource fetches no token").isEqualTo(tokens);
        Logs.assertNoSecret(payara, secrets());
    }

    /** Both resources of the post-boot file were created, each under its JNDI name (Payara's boot command replies). */
    private void assertCreated(String connector, String basicAuth) {
        String log = payara.log();
        for (String created : List.of(connector, basicAuth)) {
            assertThat(log.contains(created)).as("'%s' in %s", created, payara.logLocation()).isTrue();
        }
    }

    /** Starts Payara Micro with the block as its post-boot file, the sample WAR and the environment of both. */
    private Payara boot(String block) throws IOException {
        Path dir = work.resolve(block);
        Files.createDirectories(dir);
        Path postBoot = dir.resolve("post-boot.asadmin");
        Files.writeString(postBoot, DocBlocks.block(MIGRATING, block));
        PayaraMicro.Builder b = PayaraMicro.builder(dir)
                .postBootCommandFile(postBoot)
                .deploy(Layout.sampleWar())
                // the basic-auth resource trusts GreenMail's certificate through the JVM (the connector has its own)
                .jvmTrustStore(certs.trustStore(), TestCertificates.PASSWORD);
        env.forEach(b::env);
        Payara server = Payara.of(b.start());
        System.out.printf("Payara Micro with %s ready in %d ms%n", block, server.startupMillis());
        return server;
    }

    /** The environment the settings block exports, its {@code "$PLACEHOLDER"} values replaced. */
    private static Map<String, String> settings(String block, Map<String, String> placeholders) {
        Map<String, String> exported = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
            int comment = line.indexOf(" #");
            Matcher m = EXPORT.matcher(comment < 0 ? line : line.substring(0, comment));
            while (m.find()) {
                String value = m.group(2) == null ? m.group(3) : placeholders.get(m.group(2));
                assertThat(value).as("a value for %s", m.group(1)).isNotNull();
                exported.put(m.group(1), value);
            }
        }
        assertThat(exported.keySet()).as("every variable the settings block exports")
                .containsExactlyInAnyOrderElementsOf(DocBlocks.variablesAssigned(block));
        return exported;
    }

    private Map<String, String> secrets() {
        Map<String, String> secrets = ConnectorFixture.secrets(issuer);
        secrets.put("mailbox password", BasicAuthFixture.PASSWORD);
        return secrets;
    }
}
