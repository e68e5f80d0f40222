package io.github.oauth2mail.ops;

import static io.github.oauth2mail.ops.OpsTesting.A;
import static io.github.oauth2mail.ops.OpsTesting.RCPT;
import static io.github.oauth2mail.ops.OpsTesting.SECRET;
import static io.github.oauth2mail.ops.OpsTesting.TOKEN1;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.ScriptedSmtpServer;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The diagnostic command run in-process against GreenMail / a scripted SMTP server and the local HTTPS issuer. */
class DiagnoseTest {

    static final TestCertificates CERTS = GreenMailTls.certificates();
    static final int SMTPS_PORT = OpsTesting.freePort();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new ServerSetup(SMTPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));

    static TestTokenIssuer issuer;
    static LogCapture logs;
    static final List<String> OUTPUTS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
        logs = new LogCapture();
    }

    @AfterAll
    static void stop() {
        issuer.close();
        String all = String.join("\n", OUTPUTS) + logs.all();
        logs.close();
        assertThat(all).as("diagnostic output and logs").doesNotContain(SECRET).doesNotContain(TOKEN1)
                .doesNotContain("other-token");
    }

    @BeforeEach
    void users() {
        issuer.stubToken(TOKEN1, 3600);
        GREEN_MAIL.setUser(A, A, TOKEN1);
        GREEN_MAIL.setUser(RCPT, RCPT, "rcpt-password");
    }

    /** Result of one run: exit code and everything printed. */
    record Run(int exit, String out) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit = Diagnose.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        OUTPUTS.add(out);
        System.out.print(out);
        return new Run(exit, out);
    }

    /** Writes the settings of resource {@code diag} as a properties file, keys without the prefix. */
    Path config(Map<String, String> settings) throws IOException {
        Properties p = new Properties();
        settings.forEach((k, v) -> p.setProperty(k.replace("oauth2mail.diag.", ""), v));
        Path f = dir.resolve("diag.properties");
        try (OutputStream out = Files.newOutputStream(f)) {
            p.store(out, null);
        }
        return f;
    }

    Path greenMailConfig() throws IOException {
        return config(OpsTesting.settings("diag", issuer, SMTPS_PORT, "implicit"));
    }

    @Test
    void run_everythingWorks_exit0EveryStepOkAndTestMessageDelivered() throws Exception {
        Run r = run("diag", "--config", greenMailConfig().toString(), "--send-to", RCPT);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("[ OK ] configuration: provider oauth2")
                .contains("[ OK ] access token: obtained with credential client-secret")
                .contains("[ OK ] TCP connect 127.0.0.1:" + SMTPS_PORT)
                .contains("[ OK ] TLS (implicit): server certificate trusted and names 127.0.0.1")
                .contains("[ OK ] AUTH XOAUTH2: token accepted for mailbox " + A)
                .contains("[ OK ] test message to " + RCPT + ": accepted by the server")
                .contains("[ OK ] QUIT")
                .contains("OAM421 RESULT: OK")
                .doesNotContain("[FAIL]");
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(1);
        assertThat(GREEN_MAIL.getReceivedMessages()[0].getSubject()).contains("diagnostic test (diag)");
    }

    @Test
    void run_secretsFromFile_reportsEachSourceAndJvmDefaultProxyNeverValues() throws Exception {
        Path file = greenMailConfig();
        Run r = run("diag", "--config", file.toString());

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("[ OK ] credential sources: 2 set")
                .contains("client-secret: file " + file)
                .contains("trust-store-password: file " + file)
                .contains("[ OK ] token proxy: JVM default for 127.0.0.1: DIRECT")
                .doesNotContain(OpsTesting.SECRET);
    }

    @Test
    void run_credentialExpiresIn10Days_reportsTheDateNextToTheSourcesWithOam119AndPasses() throws Exception {
        Run none = run("diag", "--config", greenMailConfig().toString());
        assertThat(none.out()).contains("[ OK ] credential expiry: none known (certificates: their notAfter; a secret: "
                + "oauth2mail.diag.credential-expires)");

        java.time.LocalDate date = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(10);
        Map<String, String> m = OpsTesting.settings("diag", issuer, SMTPS_PORT, "implicit");
        m.put("oauth2mail.diag.credential-expires", date.toString());
        Run r = run("diag", "--config", config(m).toString());

        assertThat(r.exit()).as(r.out()).isZero();
        String line = "[ OK ] expiry of client-secret: " + date + "T00:00:00Z (in 9 days ";
        assertThat(r.out()).contains(line).contains("; OAM119: create the next one and put it into "
                + "oauth2mail.diag.client-secret (read again without a restart)");
        assertThat(r.out().indexOf(line)).as("next to the credential sources")
                .isGreaterThan(r.out().indexOf("client-secret: file "))
                .isLessThan(r.out().indexOf("[ OK ] token proxy"));
    }

    @Test
    void run_credentialExpired_failsWithOam119AndTheKeyToFix() throws Exception {
        java.time.LocalDate date = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1);
        Map<String, String> m = OpsTesting.settings("diag", issuer, SMTPS_PORT, "implicit");
        m.put("oauth2mail.diag.credential-expires", date.toString());
        Run r = run("diag", "--config", config(m).toString());

        assertThat(r.exit()).as(r.out()).isEqualTo(Diagnose.FAILED);
        assertThat(r.out()).contains("[FAIL] expiry of client-secret: expired at " + date + "T00:00:00Z")
                .contains("Code: OAM119")
                .contains("Fix: create the next one and put it into oauth2mail.diag.client-secret")
                .contains("OAM422 RESULT: FAILED (expiry of client-secret)");
    }

    @Test
    void reportExpiry_certificates_reportEachNotAfter() throws Exception {
        Map<String, String> m = new java.util.HashMap<>();
        m.put("oauth2mail.diag.provider", "entra");
        m.put("oauth2mail.diag.tenant-id", "11111111-2222-3333-4444-555555555555");
        m.put("oauth2mail.diag.client-id", "66666666-7777-8888-9999-000000000000");
        m.put("oauth2mail.diag.certificate-path", CERTS.serverKeyStore().toString());
        m.put("oauth2mail.diag.certificate-password", TestCertificates.PASSWORD);
        m.put("oauth2mail.diag.mailbox", A);
        io.github.oauth2mail.config.ConnectorSettings s = io.github.oauth2mail.config.ConnectorSettings.load("diag",
                io.github.oauth2mail.config.SettingsSource.of(m), Map.of());
        java.time.Instant notAfter = s.certificate().orElseThrow().certificate().getNotAfter().toInstant();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Diagnose.reportExpiry(new Report(new PrintStream(buf, true, StandardCharsets.UTF_8)), s,
                notAfter.minus(java.time.Duration.ofDays(40)));
        Diagnose.reportExpiry(new Report(new PrintStream(buf, true, StandardCharsets.UTF_8)), s,
                notAfter.minus(java.time.Duration.ofDays(7)));

        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(
                "[ OK ] expiry of certificate-path: " + notAfter + " (in 40 days 0 h)" + System.lineSeparator()
                + "[ OK ] expiry of certificate-path: " + notAfter + " (in 7 days 0 h); OAM119: create the next one and "
                + "put it into oauth2mail.diag.certificate-path (read again without a restart)" + System.lineSeparator());
    }

    @Test
    void run_proxyHostSet_reportsProxyAndFetchesTokenThroughIt() throws Exception {
        try (io.github.oauth2mail.testing.ConnectProxy proxy = io.github.oauth2mail.testing.ConnectProxy.start()) {
            Map<String, String> m = OpsTesting.settings("diag", issuer, SMTPS_PORT, "implicit");
            m.put("oauth2mail.diag.proxy-host", "127.0.0.1");
            m.put("oauth2mail.diag.proxy-port", String.valueOf(proxy.port()));
            Run r = run("diag", "--config", config(m).toString());

            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(r.out()).contains("[ OK ] token proxy: 127.0.0.1:" + proxy.port()
                    + " (oauth2mail.diag.proxy-host, without credentials)");
            assertThat(proxy.targets()).contains("127.0.0.1:" + issuer.port());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "invalid_client|7000215|Invalid client secret provided.|Fix: client secret is wrong: check oauth2mail.diag.client-secret (use the secret's Value, not its Secret ID",
        "invalid_client|7000222|The provided client secret keys are expired.|Fix: client secret expired: create a new one in the app registration and set oauth2mail.diag.client-secret",
        "unauthorized_client|700016|Application not found in the directory.|Fix: application not found in tenant: check oauth2mail.diag.client-id and oauth2mail.diag.tenant-id (the Application (client) ID ops-client",
        "invalid_request|90002|Tenant not found.|Fix: tenant not found: check oauth2mail.diag.tenant-id"})
    void run_identityProviderRejects_exit1WithCodeAndFix(String error, int aadsts, String text, String fix)
            throws Exception {
        issuer.stubEntraError(error, aadsts, text, "corr-diag-" + aadsts);
        Run r = run("diag", "--config", greenMailConfig().toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("[FAIL] access token: OAM112")
                .contains("Code: AADSTS" + aadsts + " (correlation id corr-diag-" + aadsts + ")")
                .contains(fix)
                .contains("[SKIP] SMTP session (TLS, AUTH): needs an access token")
                .contains("OAM422 RESULT: FAILED (access token)");
    }

    @Test
    void run_entraWrongSecretThroughMsal_exit1WithSecretFix() throws Exception {
        Map<String, String> s = OpsTesting.settings("diag", issuer, SMTPS_PORT, "implicit");
        s.remove("oauth2mail.diag.token-endpoint");
        s.remove("oauth2mail.diag.scope");
        s.put("oauth2mail.diag.provider", "entra");
        s.put("oauth2mail.diag.authority", issuer.entraAuthority());
        s.put("oauth2mail.diag.tenant-id", "contoso-tenant");
        issuer.stubEntraError("invalid_client", 7000215, "Invalid client secret provided.", "corr-entra-1");
        Run r = run("diag", "--config", config(s).toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("[ OK ] configuration: provider entra, tenant contoso-tenant")
                .contains("Code: AADSTS7000215 (correlation id corr-entra-1)")
                .contains("Fix: client secret is wrong: check oauth2mail.diag.client-secret (use the secret's Value");
    }

    @Test
    void run_serverRejectsToken535_5_7_3_exit1WithPermissionFix() throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.startTls(CERTS.serverContext()).acceptTokens("other-token")) {
            Run r = run("diag", "--config", config(OpsTesting.settings("diag", issuer, smtp.port(), "starttls")).toString());
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("[ OK ] access token")
                    .contains("[ OK ] TLS (starttls): server certificate trusted")
                    .contains("[FAIL] AUTH XOAUTH2: OAM202")
                    .contains("Code: 535 5.7.3")
                    .contains("Fix: the mail server did not accept the access token: grant the app the SMTP.SendAsApp "
                            + "application permission")
                    .contains("Add-MailboxPermission -Identity " + A);
        }
    }

    @Test
    void run_smtpAuthDisabled535_5_7_139_exit1WithSetCasMailboxFix() throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.startTls(CERTS.serverContext())
                .reply("AUTH", "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
                        + "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.")) {
            Run r = run("diag", "--config", config(OpsTesting.settings("diag", issuer, smtp.port(), "starttls")).toString());
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("Code: 535 5.7.139")
                    .contains("Fix: SMTP AUTH is disabled for the tenant or mailbox: enable authenticated SMTP in Exchange "
                            + "admin (Exchange Online PowerShell: Set-CASMailbox -Identity " + A
                            + " -SmtpClientAuthenticationDisabled $false");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MAIL|432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded|Code: 432 4.3.2|Fix: too many concurrent connections or messages for this mailbox (Exchange Online allows 3 SMTP connections per mailbox): keep oauth2mail.diag.max-connections-per-mailbox at 3 or less",
        ".|554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message|Code: 554 5.2.0|Fix: the mailbox alice@example.com used up its sending quota"})
    void run_testMessageRefused_exit1WithThrottleOrQuotaFix(String verb, String reply, String code, String fix)
            throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.startTls(CERTS.serverContext()).acceptTokens(TOKEN1)
                .reply(verb, reply)) {
            Run r = run("diag", "--config", config(OpsTesting.settings("diag", issuer, smtp.port(), "starttls")).toString(),
                    "--send-to", RCPT);
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("[ OK ] AUTH XOAUTH2").contains("[FAIL] test message to " + RCPT)
                    .contains(code).contains(fix).contains("[ OK ] QUIT");
        }
    }

    @Test
    void run_serverCertificateNotTrusted_exit1WithTrustStoreFix() throws Exception {
        TestCertificates untrusted = TestCertificates.in(Path.of("target", "test-certs", "ops-untrusted"));
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.implicitTls(untrusted.serverContext()).acceptTokens(TOKEN1)) {
            Run r = run("diag", "--config", config(OpsTesting.settings("diag", issuer, smtp.port(), "implicit")).toString());
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("[ OK ] TCP connect").contains("[FAIL] TLS (implicit): OAM205")
                    .contains("Fix: the certificate of 127.0.0.1 is not trusted: import its CA certificate into "
                            + "oauth2mail.diag.trust-store-path");
        }
    }

    @Test
    void run_serverCertificateForAnotherHost_exit1WithHostNameFix() throws Exception {
        TestCertificates other = TestCertificates.in(Path.of("target", "test-certs", "ops-other-host"), "mail.example.com");
        Path trust = dir.resolve("both.p12");
        mergeTrustStores(trust, CERTS.trustStore(), other.trustStore());
        Map<String, String> s = OpsTesting.settings("diag", issuer, 0, "implicit");
        s.put("oauth2mail.diag.trust-store-path", trust.toString());
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.implicitTls(other.serverContext()).acceptTokens(TOKEN1)) {
            s.put("oauth2mail.diag.smtp.port", String.valueOf(smtp.port()));
            Run r = run("diag", "--config", config(s).toString());
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("[ OK ] access token").contains("[FAIL] TLS (implicit): OAM205")
                    .contains("Fix: the server certificate does not name 127.0.0.1: set oauth2mail.diag.smtp.host");
        }
    }

    @Test
    void run_nothingListens_exit1WithConnectionRefusedFix() throws Exception {
        int closed = OpsTesting.freePort();
        Run r = run("diag", "--config", config(OpsTesting.settings("diag", issuer, closed, "implicit")).toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("[FAIL] TCP connect 127.0.0.1:" + closed + ": java.net.ConnectException")
                .contains("Code: ConnectException")
                .contains("Fix: nothing accepts connections on 127.0.0.1:" + closed + ": check oauth2mail.diag.smtp.host "
                        + "and oauth2mail.diag.smtp.port")
                .contains("[FAIL] SMTP session: OAM206");
    }

    @Test
    void run_badConfiguration_exit2AndEveryProblemPrinted() throws Exception {
        Map<String, String> s = OpsTesting.settings("diag", issuer, SMTPS_PORT, "implicit");
        s.remove("oauth2mail.diag.mailbox");
        s.remove("oauth2mail.diag.client-id");
        s.put("oauth2mail.diag.smtp.port", "smtp");
        issuer.resetRequests();
        Run r = run("diag", "--config", config(s).toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(2);
        assertThat(r.out()).contains("[FAIL] configuration: 3 problems")
                .contains("- oauth2mail.diag.mailbox").contains("- oauth2mail.diag.client-id")
                .contains("- oauth2mail.diag.smtp.port")
                .contains("Fix: set or correct every key listed above");
        assertThat(issuer.tokenRequests()).as("no token request with a broken configuration").isZero();
    }

    @Test
    void run_noArguments_exit2WithUsage() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("usage: java -cp").contains("io.github.oauth2mail.ops.Diagnose <ConfigName>");
    }

    static void mergeTrustStores(Path target, Path... sources) throws Exception {
        KeyStore merged = KeyStore.getInstance("PKCS12");
        merged.load(null, null);
        int n = 0;
        for (Path p : sources) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p)) {
                ks.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            for (String alias : java.util.Collections.list(ks.aliases())) {
                merged.setCertificateEntry("c" + n++, ks.getCertificate(alias));
            }
        }
        try (OutputStream out = Files.newOutputStream(target)) {
            merged.store(out, TestCertificates.PASSWORD.toCharArray());
        }
    }
}
