package io.github.oauth2mail.it.payara;

import io.github.oauth2mail.it.servers.SentWith;
import io.github.oauth2mail.it.support.Cleanup;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.servers.Logs;
import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.MailServer;
import io.github.oauth2mail.it.support.TokenIssuer;
import io.github.oauth2mail.testing.TestCertificates;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * Payara Server (full, domain mode), set up and switched by the docs' own blocks on one new domain, one start:
 * docs/payara.md's {@code payara-server-domain} block runs {@code server-config/payara/payara-server-domain.sh} with
 * the generic OAuth2 settings (client secret and trust store password as password aliases from password files) and
 * deploys the unchanged sample WAR: the mail goes with XOAUTH2 and one token, and no secret is in the domain's log.
 * Then docs/migrating.md's "Running both" blocks on the running domain: the basic-auth javamail resource parked under
 * {@code mail/office365-basic} (mail still XOAUTH2), switched back (PLAIN/LOGIN, no new token) and to the connector
 * again (XOAUTH2). The only additions of the test: the domain's port base ({@code AS_ADMIN_PORT} for the blocks'
 * asadmin), GreenMail's self-signed certificate imported into the domain's trust store before the start (the basic-auth
 * resource trusts through the JVM), and the connector's own trust store ({@code TRUST_STORE_PATH}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraServerDomainIT {

    private static final String PASSWORD = "basic-password-1";

    private MailServer mail;
    private TokenIssuer issuer;
    private PayaraDomain domain;
    private Path work;
    private Map<String, String> env;

    @BeforeAll
    void start() throws Exception {
        work = Layout.work(getClass().getSimpleName());
        TestCertificates certs = Layout.certificates();
        Path trustStore = ConnectorFixture.withPassword(certs.trustStore(), work.resolve("connector-trust.p12"));
        mail = MailServer.start(certs, ConnectorFixture.MAILBOX, PASSWORD);
        issuer = TokenIssuer.start(certs, ConnectorFixture.CLIENT_ID, ConnectorFixture.CLIENT_SECRET, 3600, t -> { });
        // after the switch: the mailbox takes exactly the issuer's tokens
        mail.acceptTokensFrom(issuer);

        domain = PayaraDomain.create(work);
        trustTestCertificate(certs.trustStore());
        domain.start();
        System.out.printf("%s started in %d ms%n", domain.description(), domain.startupMillis());

        Map<String, String> values = new LinkedHashMap<>(ConnectorFixture.oauth2Placeholders(issuer, mail));
        // the host by name, as the certificate has it (the resource checks the server's identity)
        values.put("MAIL_HOST", "localhost");
        values.put("MAIL_USER", ConnectorFixture.MAILBOX);
        values.put("MAIL_PASSWORD", PASSWORD);
        values.put("MAIL_SMTPS_PORT", String.valueOf(mail.smtpsPort()));
        values.put("MAIL_IMAPS_PORT", String.valueOf(mail.imapsPort()));
        env = new LinkedHashMap<>(domain.env());
        env.putAll(PayaraServerBlocks.placeholders(Path.of(domain.env().get("ASADMIN")), values));
    }

    @AfterAll
    void stop() {
        Cleanup.closeAll(domain, issuer, mail);
    }

    @Test
    @Order(1)
    void send_domainSetUpByTheScript_logsInWithXoauth2AndOneToken() throws Exception {
        Map<String, String> scriptEnv = new LinkedHashMap<>(env);
        // the connector's own trust store for the test certificate (docs/payara.md: a private CA)
        scriptEnv.put("TRUST_STORE_PATH", work.resolve("connector-trust.p12").toString());
        scriptEnv.put("TRUST_STORE_PASSWORD_FILE", passwordFile("trust-store-password.pw",
                ConnectorFixture.TRUST_STORE_PASSWORD).toString());
        try {
            PayaraServerBlocks.run(PayaraServerBlocks.DOMAIN, work, scriptEnv);
        } finally {
            Files.deleteIfExists(work.resolve("trust-store-password.pw"));
        }

        assertThat(work.resolve("shell/client-secret.pw")).as("the block's password file, removed").doesNotExist();
        assertSentWith("set up by the domain script", "XOAUTH2 " + ConnectorFixture.MAILBOX);
        assertThat(issuer.issuedCount()).as("tokens from the endpoint the script configured").isOne();
        assertThat(domain.log()).as("the connector read the domain's settings; log: " + domain.logLocation())
                .contains("OAM303");
        Logs.assertNoSecret(domain, ConnectorFixture.secrets(issuer));
    }

    @Test
    @Order(2)
    void send_basicAuthParkedBesideTheConnector_stillLogsInWithXoauth2() throws Exception {
        // during the migration the tenant accepts both logins for the mailbox
        mail.acceptPasswordAndTokensFrom(issuer);
        PayaraServerBlocks.run("payara-both", work, env);
        assertThat(work.resolve("shell/mail-password.pw")).as("the block's password file, removed").doesNotExist();

        assertSentWith("both configured, connector in use", "XOAUTH2 " + ConnectorFixture.MAILBOX);
    }

    @Test
    @Order(3)
    void send_afterThePagesSwitchBackOnTheRunningDomain_logsInWithThePassword() throws Exception {
        int tokens = issuer.issuedCount();
        PayaraServerBlocks.run("payara-switch-back", work, env);

        assertSentWith("switched back by the page", "(LOGIN|PLAIN) " + ConnectorFixture.MAILBOX);
        assertThat(issuer.issuedCount()).as("the basic-auth resource fetches no token").isEqualTo(tokens);
    }

    @Test
    @Order(4)
    void send_afterThePagesSwitchOfTheRunningDomainToTheConnector_logsInWithXoauth2() throws Exception {
        PayaraServerBlocks.run("payara-switch-running", work, env);

        assertSentWith("switched again by the page", "XOAUTH2 " + ConnectorFixture.MAILBOX);
        Map<String, String> secrets = ConnectorFixture.secrets(issuer);
        secrets.put("mailbox password", PASSWORD);
        Logs.assertNoSecret(domain, secrets);
        assertNoSecretIn(domain.config().resolve("domain.xml"), secrets); // aliases only: ${ALIAS=..}
        try (var outputs = Files.list(work)) {
            for (Path output : outputs.filter(f -> f.toString().endsWith(".log")).toList()) {
                assertNoSecretIn(output, secrets); // what asadmin and the blocks printed
            }
        }
    }

    private static void assertNoSecretIn(Path file, Map<String, String> secrets) throws IOException {
        String text = Files.readString(file);
        secrets.forEach((name, secret) -> assertThat(text.contains(secret)).as("%s in %s", name, file).isFalse());
    }

    /** Sends one mail through the unchanged sample app and checks how its SMTP transaction logged in. */
    private void assertSentWith(String subject, String loginPattern) throws Exception {
        SentWith.assertSentWith(mail, domain, subject, loginPattern);
    }

    /**
     * What an admin does for a mail server with a private CA: import its certificate into the domain's trust store
     * ({@code config/cacerts.p12}, locked with the master password) before the start, with keytool.
     */
    private void trustTestCertificate(Path testTrustStore) throws IOException {
        Path keytool = Layout.serverJavaHome().resolve("bin/keytool");
        Commands.run(List.of(keytool.toString(), "-importkeystore", "-noprompt", "-srckeystore", testTrustStore.toString(),
                "-srcstoretype", "PKCS12", "-srcstorepass", TestCertificates.PASSWORD, "-destkeystore",
                domain.config().resolve("cacerts.p12").toString(), "-deststoretype", "PKCS12", "-deststorepass",
                PayaraDomain.MASTER_PASSWORD), work, Map.of(), work.resolve("keytool.log"), Duration.ofSeconds(60));
    }

    /** An asadmin password file ({@code AS_ADMIN_ALIASPASSWORD=...}) readable by the owner only. */
    private Path passwordFile(String name, String secret) throws IOException {
        Path file = work.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "AS_ADMIN_ALIASPASSWORD=" + secret + "\n");
        return file;
    }

    private List<MimeMessage> received(String subject) {
        return mail.receivedWithSubject(subject);
    }
}
