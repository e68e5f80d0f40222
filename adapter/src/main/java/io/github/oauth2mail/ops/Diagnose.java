package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.ConfigurationException;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.token.AccessToken;
import io.github.oauth2mail.token.CredentialExpiry;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenProxies;
import io.github.oauth2mail.token.TokenRefresher;
import io.github.oauth2mail.transport.SmtpConnection;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * The diagnostic check an admin runs on the server host with the connector resource's settings:
 * <pre>
 * java -cp 'rar/*:jakarta.mail-api.jar:jakarta.activation-api.jar:angus-mail.jar:angus-activation.jar' \
 *      io.github.oauth2mail.ops.Diagnose office365 [--config file.properties] [--send-to someone@example.com]
 * </pre>
 * Settings are the {@code oauth2mail.<name>.*} keys, read from the properties file (full keys, or keys without the
 * {@code oauth2mail.<name>.} prefix), then system properties, then environment variables
 * ({@code OAUTH2MAIL_<NAME>_CLIENT_SECRET}). Steps: configuration, access token, TCP connect, SMTP session (TLS,
 * server identity, EHLO, AUTH), optionally a test message, QUIT; with {@code send-via=graph} after the token: its
 * scope, the Graph endpoint over HTTPS and optionally a test message through Graph ({@link GraphDiagnosis}). Each
 * prints OK or FAIL with the code and the fix.
 * Exit code 0 only when every step passed; 1 when a check failed; 2 for usage or configuration errors. Uses the
 * adapter's own classes (settings, refresher, SMTP connection), and prints no secret and no token.
 */
public final class Diagnose {

    static final int FAILED = 1;
    static final int USAGE = 2;

    private Diagnose() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the checks, printing to {@code out}; returns the exit code. */
    public static int run(String[] args, PrintStream out) {
        String name = null;
        Path config = null;
        String sendTo = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (("--config".equals(a) || "--send-to".equals(a)) && i + 1 < args.length) {
                if ("--config".equals(a)) {
                    config = Path.of(args[++i]);
                } else {
                    sendTo = args[++i];
                }
            } else if (!a.startsWith("--") && name == null) {
                name = a;
            } else {
                return usage(out, "unexpected argument '" + a + "'");
            }
        }
        if (name == null) {
            return usage(out, "the connector resource's ConfigName is missing");
        }
        Report report = new Report(out);
        report.line("OAM420 Checking connector resource '" + name + "' (keys oauth2mail." + name + ".*, from "
                + (config == null ? "" : config + ", then ") + "system properties and environment variables)");
        SettingsSource source;
        Map<String, String> fileValues = null;
        try {
            fileValues = config == null ? null : readFile(config, name);
            source = config == null ? SettingsSource::systemOrEnv
                    : SettingsSource.of(fileValues).orElse(SettingsSource::systemOrEnv);
        } catch (IOException e) {
            report.fail("configuration", "cannot read " + config + ": " + e, null, null,
                    "give a readable properties file with --config");
            return report.finish(USAGE);
        }
        ConnectorSettings settings;
        SSLSocketFactory tls;
        try {
            settings = ConnectorSettings.load(name, source, Map.of());
            tls = TlsSupport.socketFactory(settings);
        } catch (ConfigurationException e) {
            report.fail("configuration", e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"),
                    "OAM001", null, null);
            for (String p : e.problems()) {
                report.detail("- " + p);
            }
            report.detail("Fix: set or correct every key listed above (as env var: upper case, '.' and '-' as '_', "
                    + "e.g. OAUTH2MAIL_" + name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT) + "_MAILBOX)");
            return report.finish(USAGE);
        }
        report.ok("configuration", describe(settings));
        reportSources(report, new ConfigOrigins(name, config, fileValues));
        reportExpiry(report, settings, Instant.now());
        report.ok("token proxy", TokenProxies.describe(settings));
        try (TokenRefresher tokens = TokenRefresher.create(settings)) {
            boolean tokenOk = checkToken(report, settings, tokens);
            if (settings.sendVia() == ConnectorSettings.SendVia.GRAPH) {
                GraphDiagnosis.run(report, settings, tokens, tokenOk, sendTo);
                return report.finish(FAILED);
            }
            checkTcp(report, settings);
            if (tokenOk) {
                checkSmtp(report, settings, tls, tokens, sendTo);
            } else {
                report.skip("SMTP session (TLS, AUTH)", "needs an access token");
            }
        }
        return report.finish(FAILED);
    }

    /** Where each credential came from (never its value); their expiry follows ({@link #reportExpiry}). */
    private static void reportSources(Report report, ConfigOrigins origins) {
        List<String> lines = origins.credentialLines();
        report.ok("credential sources", lines.isEmpty() ? "none set" : lines.size() + " set");
        for (String line : lines) {
            report.detail(line);
        }
    }

    /**
     * When each credential expires: certificates' {@code notAfter}, {@code credential-expires} for a secret. Within the
     * warning threshold ({@link CredentialExpiry#warns}) the line says OAM119 and what to do; an expired credential
     * fails the check.
     */
    static void reportExpiry(Report report, ConnectorSettings s, Instant now) {
        List<CredentialExpiry.Entry> expiries = CredentialExpiry.of(s);
        if (expiries.isEmpty()) {
            report.ok("credential expiry", "none known (certificates: their notAfter; a secret: "
                    + s.key(Setting.CREDENTIAL_EXPIRES) + ")");
            return;
        }
        for (CredentialExpiry.Entry e : expiries) {
            String step = "expiry of " + e.credential();
            Duration left = Duration.between(now, e.expiresAt());
            String fix = "create the next one and put it into " + s.key(Setting.byKey(e.credential()))
                    + " (read again without a restart)";
            if (left.isNegative() || left.isZero()) {
                report.fail(step, "expired at " + e.expiresAt(), "OAM119", null, fix);
            } else {
                report.ok(step, e.expiresAt() + " (in " + CredentialExpiry.describe(left) + ")"
                        + (CredentialExpiry.warns(left) ? "; OAM119: " + fix : ""));
            }
        }
    }

    private static boolean checkToken(Report report, ConnectorSettings s, TokenRefresher tokens) {
        try {
            AccessToken t = tokens.token(s.mailbox());
            report.ok("access token", "obtained with credential " + tokens.activeCredential() + ", expires at "
                    + t.expiresAt() + " (valid " + Duration.between(Instant.now(), t.expiresAt()).toSeconds() + " s)");
            return true;
        } catch (TokenException e) {
            report.fail("access token", e.getMessage(), e.errorCode(), e.correlationId(),
                    KnownFailures.tokenFix(s, e.errorCode()));
            return false;
        }
    }

    private static void checkTcp(Report report, ConnectorSettings s) {
        String server = s.smtpHost() + ":" + s.smtpPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.smtpHost(), s.smtpPort()), (int) s.connectTimeout().toMillis());
            report.ok("TCP connect " + server, null);
        } catch (IOException e) {
            report.fail("TCP connect " + server, e.toString(), KnownFailures.code(e), null, KnownFailures.fix(s, e));
        }
    }

    private static void checkSmtp(Report report, ConnectorSettings s, SSLSocketFactory tls, TokenRefresher tokens,
                                  String sendTo) {
        String tlsStep = "TLS (" + s.smtpTls().name().toLowerCase(Locale.ROOT) + ")";
        SmtpConnection c;
        try {
            c = SmtpConnection.open(s, tls, tokens, s.mailbox());
        } catch (MessagingException e) {
            FailureKind kind = KnownFailures.classify(e);
            String step = kind == FailureKind.TLS ? tlsStep : kind == FailureKind.AUTH ? "AUTH " + s.saslMechanism()
                    : kind == FailureKind.TOKEN ? "access token (fresh one after a rejection)" : "SMTP session";
            if (kind == FailureKind.AUTH) {
                report.ok(tlsStep, "server certificate trusted and names " + s.smtpHost());
            }
            report.fail(step, e.getMessage(), KnownFailures.code(e), KnownFailures.correlationId(e),
                    KnownFailures.fix(s, e));
            return;
        }
        try {
            report.ok(tlsStep, "server certificate trusted and names " + s.smtpHost());
            report.ok("AUTH " + s.saslMechanism(), "token accepted for mailbox " + s.mailbox());
            if (sendTo != null) {
                sendTest(report, s, c, sendTo);
            }
        } finally {
            c.close();
        }
        report.ok("QUIT", null);
    }

    private static void sendTest(Report report, ConnectorSettings s, SmtpConnection c, String sendTo) {
        String step = "test message to " + sendTo;
        try {
            MimeMessage msg = testMessage(s, sendTo);
            Address[] to = msg.getAllRecipients();
            c.send(msg, to);
            report.ok(step, "accepted by the server");
        } catch (MessagingException e) {
            report.fail(step, e.getMessage(), KnownFailures.code(e), null, KnownFailures.fix(s, e));
        }
    }

    /** The test message: from the mailbox to {@code sendTo}, naming the resource. */
    static MimeMessage testMessage(ConnectorSettings s, String sendTo) throws MessagingException {
        MimeMessage msg = new MimeMessage(Session.getInstance(new Properties()));
        msg.setFrom(new InternetAddress(s.mailbox()));
        msg.setRecipients(MimeMessage.RecipientType.TO, sendTo);
        msg.setSubject("OAuth2 mail connector diagnostic test (" + s.name() + ")");
        msg.setText("Test message sent by io.github.oauth2mail.ops.Diagnose for connector resource '" + s.name()
                + "' at " + Instant.now() + ".");
        msg.saveChanges();
        return msg;
    }

    private static String describe(ConnectorSettings s) {
        StringBuilder sb = new StringBuilder("provider ").append(s.provider().name().toLowerCase(Locale.ROOT));
        if (s.provider() == ConnectorSettings.Provider.ENTRA) {
            sb.append(", tenant ").append(s.tenantId()).append(", authority ").append(s.tenantAuthority())
                    .append(", cloud ").append(s.cloud().configValue());
        } else {
            sb.append(", token endpoint ").append(s.tokenEndpoint().map(Object::toString).orElse("-"))
                    .append(", grant ").append(s.grant().name().toLowerCase(Locale.ROOT));
        }
        if (s.clientId() != null) {
            sb.append(", client ").append(s.clientId());
        }
        if (s.credential() != null) {
            sb.append(", credential ").append(s.credential().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        if (s.sendVia() == ConnectorSettings.SendVia.GRAPH) {
            return sb.append(", mailbox ").append(s.mailbox()).append(", send via Microsoft Graph ")
                    .append(s.graphEndpoint()).append(s.graphDraftRoute() ? " (draft route on)" : "")
                    .append(s.graphSaveToSentItems() ? "" : " (JSON form, no Sent Items copy)").toString();
        }
        return sb.append(", mailbox ").append(s.mailbox()).append(", SMTP ").append(s.smtpHost()).append(':')
                .append(s.smtpPort()).append(" (").append(s.smtpTls().name().toLowerCase(Locale.ROOT))
                .append(", ").append(s.saslMechanism()).append(')').toString();
    }

    /** The file's keys as full keys: {@code mailbox} becomes {@code oauth2mail.<name>.mailbox}. */
    static Map<String, String> readFile(Path file, String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, String> m = new HashMap<>();
        for (Entry<Object, Object> e : p.entrySet()) {
            String k = e.getKey().toString().trim();
            m.put(k.startsWith("oauth2mail.") ? k : "oauth2mail." + name + "." + k, e.getValue().toString().trim());
        }
        return m;
    }

    private static int usage(PrintStream out, String problem) {
        out.println("OAM429 " + problem);
        out.println("usage: java -cp <adapter jars>:<jakarta.mail-api, jakarta.activation-api, angus-mail, "
                + "angus-activation> io.github.oauth2mail.ops.Diagnose <ConfigName> [--config file.properties] "
                + "[--send-to address]");
        return USAGE;
    }
}
