package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.AllOutputCapture;
import io.github.oauth2mail.testing.ConnectProxy;
import io.github.oauth2mail.testing.ConnectorKeys;
import io.github.oauth2mail.testing.TestCertificates;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #8, scenario 13: with {@code mail-debug=true} and every logger at FINEST, no log record, nothing on
 * System.out/System.err and no exception a caller gets holds a client secret, certificate password, proxy password,
 * refresh token, access token or XOAUTH2 response, in plain or in the encodings they travel in.
 */
class SecretLeakTest extends FaultTestSupport {

    static final String REFRESH_TOKEN = "rt-leak-check-7QpZ0w9e";
    static final String CERT_PASSWORD = "cert-pw-leak-check-K2v8";
    static final String PROXY_USER = "proxy-leak-user";
    static final String PROXY_PASSWORD = "proxy-pw-leak-check-Zr4m";
    static final String RELOADED_SECRET = "reloaded-secret-leak-check-P5n3";
    static final int SMTPS_PORT = MailServerRestartTest.freePort();
    static final int IMAPS_PORT = MailServerRestartTest.freePort();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            new ServerSetup(SMTPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
            new ServerSetup(IMAPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)});

    /** Loggers of the test's own servers (the identity provider and the mail server), not of the adapter's side. */
    static final String[] SERVER_SIDE = {"org.eclipse.jetty", "com.github.tomakehurst", "wiremock", "com.icegreen"};

    final List<String> callerErrors = new ArrayList<>();

    @Override
    ConnectorKeys keys(String name) {
        return ConnectorKeys.of(name, issuer, ALICE, SMTPS_PORT, "implicit").set("allowed-mailboxes", BOB)
                .set("imap.host", "127.0.0.1").set("imap.port", String.valueOf(IMAPS_PORT))
                .set("imap.tls", "implicit").set("mail-debug", "true");
    }

    private void send(Session session, String from, String user, String subject) {
        try {
            Transport.send(message(session, from, subject), user, user == null ? null : "app-password-ignored");
        } catch (MessagingException e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            callerErrors.add(w.toString());
        }
    }

    @Test
    void logsAndDebugOutput_mailDebugAndFinest_noSecretTokenOrXoauth2String() throws Exception {
        GREEN_MAIL.setUser(ALICE, ALICE, T1);
        GREEN_MAIL.setUser(BOB, BOB, T1);
        GREEN_MAIL.setUser(RCPT, RCPT, T2);
        Path certificate = clientPkcs12(Path.of("target", "test-certs", "leak-client"));
        try (AllOutputCapture capture = new AllOutputCapture("io.github.oauth2mail", "com.microsoft.aad.msal4j",
                "com.nimbusds", "sun.net.www.protocol.http.HttpURLConnection", "jdk.event.security")) {
            // client secret: send, a 535 and forced refresh on a new connection, an IMAP read, a token error
            issuer.stubToken(T1, 3600);
            OAuth2MailManagedConnectionFactory withSecret = factory(keys("leak"));
            Session session = session(withSecret);
            send(session, ALICE, null, "one");
            GREEN_MAIL.setUser(BOB, BOB, T2);
            issuer.stubToken(T2, 3600);
            send(session, BOB, BOB, "two");
            Session reader = session(factory(keys("leakread").set("mailbox", RCPT).set("allowed-mailboxes", null)));
            Store store = reader.getStore();
            store.connect();
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            inbox.close(false);
            store.close();
            issuer.stubError(401, "invalid_client", "bad secret", "corr-leak");
            send(session(factory(keys("leakbad"))), ALICE, null, "three");

            // refresh-token grant
            issuer.stubToken(T1, 3600);
            send(session(factory(keys("leakrt").set("grant-type", "refresh_token").set("client-secret", null)
                    .set("refresh-token", REFRESH_TOKEN).set("scope", null))), ALICE, null, "four");

            // Entra (MSAL4J) with a client certificate and its password
            send(session(factory(keys("leakcert").set("provider", "entra").set("token-endpoint", null)
                    .set("scope", null).set("client-secret", null).set("authority", issuer.entraAuthority())
                    .set("tenant-id", "leak-tenant").set("certificate-path", certificate.toString())
                    .set("certificate-password", CERT_PASSWORD))), ALICE, null, "five");

            // issue 15: a secret rejected, then changed in the config source and read again without a restart
            ConnectorKeys rotating = keys("leakrot");
            Session rotatingSession = session(factory(rotating));
            issuer.stubTokenOnlyFor("client_secret", RELOADED_SECRET, T1, 3600);
            send(rotatingSession, ALICE, null, "rejected before the reload");
            rotating.set("client-secret", RELOADED_SECRET).set("client-auth", "client_secret_post");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                    .pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
                        int before = callerErrors.size();
                        send(rotatingSession, ALICE, null, "six");
                        return callerErrors.size() == before;
                    });
            // issue 15: refresh tokens rotated on every use, kept in refresh-token-file
            Path rtFile = Files.createDirectories(TestCertificates.local(Path.of("target", "test-certs", "leak-rt"))).resolve("refresh-token");
            Files.deleteIfExists(rtFile);
            issuer.stubTokenWithRotatedRefreshToken(T1, 3600);
            send(session(factory(keys("leakrtf").set("grant-type", "refresh_token").set("client-secret", null)
                    .set("refresh-token", REFRESH_TOKEN).set("refresh-token-file", rtFile.toString())
                    .set("scope", null))), ALICE, null, "seven");
            List<String> rotatedRefreshTokens = issuer.issuedRefreshTokens();
            assertThat(rotatedRefreshTokens).isNotEmpty();
            assertThat(Files.readString(rtFile).trim()).isEqualTo(rotatedRefreshTokens.get(rotatedRefreshTokens.size() - 1));
            // token requests through an authenticating HTTPS proxy: right password (sends), wrong one (OAM160)
            try (ConnectProxy proxy = ConnectProxy.start(PROXY_USER, PROXY_PASSWORD)) {
                send(session(factory(keys("leakproxy").set("proxy-host", "127.0.0.1")
                        .set("proxy-port", String.valueOf(proxy.port())).set("proxy-user", PROXY_USER)
                        .set("proxy-password", PROXY_PASSWORD))), ALICE, null, "eight");
                send(session(factory(keys("leakproxybad").set("proxy-host", "127.0.0.1")
                        .set("proxy-port", String.valueOf(proxy.port())).set("proxy-user", PROXY_USER)
                        .set("proxy-password", PROXY_PASSWORD + "-wrong"))), ALICE, null, "nine");
                assertThat(proxy.tunnels()).as("token requests went through the proxy").isPositive();
                assertThat(proxy.refusals()).as("the wrong proxy password was refused").isPositive();
            }

            List<String> adapterSide = capture.records(SERVER_SIDE);
            String streams = capture.streams();
            assertThat(String.join("\n", adapterSide)).as("the capture works").contains("OAM101", "OAM104");
            assertThat(streams).as("mail.debug output was captured").contains("DEBUG");
            assertThat(GREEN_MAIL.getReceivedMessages()).as("sends that should have worked").hasSize(7);
            assertThat(callerErrors).hasSizeGreaterThanOrEqualTo(3);
            assertThat(callerErrors.get(callerErrors.size() - 1)).as("the wrong proxy password").contains("OAM160");
            assertThat(callerErrors.subList(0, callerErrors.size() - 1))
                    .allSatisfy(e -> assertThat(e).containsAnyOf("invalid_client", "AADSTS7000215"));
            assertThat(String.join("\n", adapterSide)).as("the reload was logged").contains("OAM408");

            List<String> secrets = new ArrayList<>(secrets());
            for (String s : rotatedRefreshTokens) {
                secrets.add(s);
                secrets.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
            }
            assertThat(issuer.requests()).as("requests the secrets were really sent in").hasSizeGreaterThanOrEqualTo(5);
            List<String> leaks = new ArrayList<>();
            for (int i = 0; i < secrets.size(); i++) {
                String secret = secrets.get(i);
                for (String r : adapterSide) {
                    leak(leaks, "log record", i, secret, r);
                }
                leak(leaks, "System.out/err", i, secret, streams);
                for (String r : callerErrors) {
                    leak(leaks, "caller exception", i, secret, r);
                }
            }
            assertThat(leaks).isEmpty();
        }
    }

    /** Records where secret number {@code i} appears: where, and the text around it (secret masked). */
    static void leak(List<String> leaks, String where, int i, String secret, String text) {
        int at = text.indexOf(secret);
        if (at >= 0) {
            int lineStart = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
            String context = text.substring(Math.max(0, Math.max(lineStart, at - 300)), at) + "<SECRET#" + i + ">"
                    + text.substring(at + secret.length(), Math.min(text.length(), at + secret.length() + 200));
            leaks.add(where + ": " + context + "\n   record starts: "
                    + text.substring(0, Math.min(200, text.length())).replace(secret, "<SECRET>"));
        }
    }

    static List<String> secrets() {
        List<String> l = new ArrayList<>();
        for (String s : List.of(ConnectorKeys.SECRET, REFRESH_TOKEN, CERT_PASSWORD, TestCertificates.PASSWORD, T1, T2,
                PROXY_PASSWORD, PROXY_PASSWORD + "-wrong", RELOADED_SECRET)) {
            l.add(s);
            l.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        l.add(b64("fault-client:" + ConnectorKeys.SECRET));
        l.add(b64(PROXY_USER + ":" + PROXY_PASSWORD));
        l.add(b64(PROXY_USER + ":" + PROXY_PASSWORD + "-wrong"));
        l.add(b64("fault-client:" + URLEncoder.encode(ConnectorKeys.SECRET, StandardCharsets.UTF_8)));
        for (String user : List.of(ALICE, BOB, RCPT)) {
            for (String t : List.of(T1, T2)) {
                l.add(b64("user=" + user + "\u0001auth=Bearer " + t + "\u0001\u0001"));
            }
        }
        return l;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A client certificate PKCS#12 with its own password. */
    static Path clientPkcs12(Path dir) throws Exception {
        TestCertificates c = TestCertificates.in(dir.resolve("cert"), "client.example.com");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(c.serverKeyStore())) {
            ks.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("server", TestCertificates.PASSWORD.toCharArray());
        Certificate[] chain = ks.getCertificateChain("server");
        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        out.setKeyEntry("client", key, CERT_PASSWORD.toCharArray(), chain);
        Path p = Files.createDirectories(TestCertificates.local(dir)).resolve("client.p12");
        try (OutputStream o = Files.newOutputStream(p)) {
            out.store(o, CERT_PASSWORD.toCharArray());
        }
        return p;
    }
}
