package io.github.oauth2mail.ops;

import static io.github.oauth2mail.ops.OpsTesting.A;
import static io.github.oauth2mail.ops.OpsTesting.B;
import static io.github.oauth2mail.ops.OpsTesting.RCPT;
import static io.github.oauth2mail.ops.OpsTesting.SECRET;
import static io.github.oauth2mail.ops.OpsTesting.TOKEN1;
import static io.github.oauth2mail.ops.OpsTesting.TOKEN2;
import static io.github.oauth2mail.ops.OpsTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.GreenMailTls;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.TestCertificates;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the ops features print (audit log and all other logs, MBean attribute values and operation results, the
 * diagnostic command's output) after a run that exercises success and every failure path holds no secret and no token.
 */
class SecretScanTest {

    static final TestCertificates CERTS = GreenMailTls.certificates();
    static final int SMTPS_PORT = OpsTesting.freePort();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new ServerSetup(SMTPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));

    @TempDir
    Path dir;

    @Test
    void everythingPrinted_fullRunWithFailures_containsNoSecretAndNoToken() throws Exception {
        StringBuilder printed = new StringBuilder();
        List<String> secrets = new ArrayList<>(List.of(SECRET, TOKEN1, TOKEN2, TestCertificates.PASSWORD));
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        try (TestTokenIssuer issuer = TestTokenIssuer.start(Path.of("target", "test-certs", "greenmail"));
             LogCapture logs = new LogCapture()) {
            GREEN_MAIL.setUser(A, A, TOKEN1);
            GREEN_MAIL.setUser(B, B, TOKEN1);
            GREEN_MAIL.setUser(RCPT, RCPT, "rcpt-password");
            Map<String, String> settings = OpsTesting.settings("scan", issuer, SMTPS_PORT, "implicit");
            settings.put("oauth2mail.scan.allowed-mailboxes", B + ",carol@example.com");
            OAuth2MailManagedConnectionFactory mcf = OpsTesting.factory("scan", settings);
            ObjectName name = OpsTesting.mbeanName("scan");
            try {
                Session session = (Session) mcf.createConnectionFactory();
                issuer.stubEntraError("invalid_client", 7000215, "Invalid client secret provided.", "corr-scan");
                assertThatThrownBy(() -> Transport.send(message(session, A, "no token")))
                        .isInstanceOf(MessagingException.class);
                printed.append(OpsTesting.allAttributes(name));
                printed.append(jmx.invoke(name, "check", new Object[0], new String[0])).append('\n');
                issuer.stubToken(TOKEN1, 3600);
                printed.append(jmx.invoke(name, "retryToken", new Object[0], new String[0])).append('\n');
                Transport.send(message(session, A, "ok"));
                issuer.stubToken(TOKEN2, 3600);
                GREEN_MAIL.setUser(B, B, TOKEN2);
                Transport.send(message(session, B, "rotated"), B, null);
                GREEN_MAIL.setUser(A, A, "revoked-at-server");
                GREEN_MAIL.setUser(B, B, "revoked-at-server");
                Transport.send(message(session, A, "pooled still works"));
                assertThatThrownBy(() -> Transport.send(message(session, "carol@example.com", "unknown mailbox"),
                        "carol@example.com", null)).isInstanceOf(MessagingException.class);
                printed.append(OpsTesting.allAttributes(name));
            } finally {
                mcf.close();
            }
            GREEN_MAIL.setUser(A, A, TOKEN2);
            printed.append(diagnose(settings, "--send-to", RCPT));
            issuer.stubEntraError("invalid_client", 7000222, "The provided client secret keys are expired.", "c2");
            printed.append(diagnose(settings));
            issuer.stubToken(TOKEN1, 3600);
            printed.append(diagnose(settings)); // 535: GreenMail expects TOKEN2
            printed.append(logs.all());
            secrets.addAll(issuer.issuedTokens());
        }
        String all = printed.toString();
        assertThat(all).as("the scan saw the audit log, attributes and diagnostic output")
                .contains("OAM401", "OAM402", "OAM403", "OAM404", "OAM406", "OAM420", "OAM421", "OAM422",
                        "TokensAcquired=1", "LastErrorCode=AADSTS7000215", "DOWN: OAM430", "UP: ");
        for (String secret : secrets) {
            assertThat(all).as("printed text").doesNotContain(secret);
        }
    }

    private String diagnose(Map<String, String> settings, String... extra) throws Exception {
        Properties p = new Properties();
        p.putAll(settings);
        Path file = Files.createTempFile(dir, "scan", ".properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        List<String> args = new ArrayList<>(List.of("scan", "--config", file.toString()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Diagnose.run(args.toArray(new String[0]), new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }
}
