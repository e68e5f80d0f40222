package io.github.oauth2mail.it.demo;

import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.it.support.BasicAuthFixture;
import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.MailServer;
import io.github.oauth2mail.it.support.PayaraMicro;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;

/**
 * The one-command demo (issue #4): GreenMail (SMTPS/IMAPS), the local HTTPS token issuer and Payara Micro with the
 * connector and the unchanged sample app, configured by {@code server-config/payara/post-boot-connector.asadmin}.
 * Prints curl lines and runs until Ctrl-C; a shutdown hook stops Payara (and its children), the issuer and GreenMail.
 *
 * <pre>
 * mvn -B -pl it-tests -am verify -Pdemo -DskipTests                       # interactive, port 8080
 * mvn -B -pl it-tests -am verify -Pdemo -DskipTests -Ddemo.selftest=true  # CI: one mail end to end, exit 0/1
 * </pre>
 * System properties: {@code demo.selftest} (false), {@code demo.port} (8080; self-test: a free port),
 * {@code demo.mode} ({@code auto}: the connector when its .rar is built, else the plain basic-auth mail resource;
 * {@code connector}; {@code basic}), {@code demo.tokenLifetime} (seconds, 120).
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        boolean selfTest = Boolean.getBoolean("demo.selftest");
        int port = Integer.getInteger("demo.port", selfTest ? 0 : 8080);
        String mode = System.getProperty("demo.mode", "auto");
        boolean connector = switch (mode) {
            case "connector" -> true;
            case "basic" -> false;
            case "auto" -> Layout.adapterRarAvailable();
            default -> throw new IllegalArgumentException("demo.mode must be auto, connector or basic: " + mode);
        };
        if (connector && !Layout.adapterRarAvailable()) {
            throw new IllegalStateException("demo.mode=connector but the connector .rar is not built: "
                    + Layout.adapterRar());
        }
        say("starting GreenMail, " + (connector ? "the token issuer, " : "") + "Payara Micro ("
                + (connector ? "OAuth2 connector"
                        : "plain basic-auth mail resource: the connector .rar is not built yet")
                + ") ...");
        Running running = connector ? startConnector(port) : startBasic(port);
        Thread hook = new Thread(() -> {
            say("stopping Payara Micro, GreenMail" + (connector ? " and the token issuer" : "") + " ...");
            running.close.run();
            say("stopped.");
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        PayaraMicro payara = running.payara;
        String base = payara.sampleApp().toString();
        say("Payara Micro ready in " + payara.startupMillis() + " ms; log: " + payara.logFile());
        say("mail server: GreenMail SMTPS 127.0.0.1:" + running.mail.smtpsPort() + ", IMAPS 127.0.0.1:"
                + running.mail.imapsPort() + ", mailbox " + running.mailbox);
        if (selfTest) {
            try {
                selfTest(new SampleAppClient(payara.sampleApp()), running);
                say("demo self-test PASSED (" + (connector ? "connector" : "basic auth") + ")");
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
                running.close.run();
            }
            return;
        }
        System.out.println();
        System.out.println("Send a mail (to the demo mailbox, so the inbox shows it):");
        System.out.println("  curl -sS -X POST '" + base + "/api/mail?to=" + running.mailbox
                + "&subject=Hello%20from%20Payara' -H 'Content-Type: text/plain' --data 'sent by an unchanged app'");
        System.out.println("List the inbox (IMAP through the same mail/office365 resource):");
        System.out.println("  curl -sS " + base + "/api/inbox");
        System.out.println();
        say("running; press Ctrl-C to stop.");
        new CountDownLatch(1).await();
    }

    private static Running startConnector(int port) throws Exception {
        long lifetime = Long.getLong("demo.tokenLifetime", 120);
        ConnectorFixture[] holder = new ConnectorFixture[1];
        ConnectorFixture fixture = ConnectorFixture.builder("demo")
                .httpPort(port)
                .tokenLifetimeSeconds(lifetime)
                .onTokenIssued(token -> say("token issuer: handed out access token #"
                        + (holder[0] == null ? "?" : holder[0].issuer().issuedCount()) + " (expires in " + lifetime
                        + " s)"))
                .start();
        holder[0] = fixture;
        say("token issuer: " + fixture.issuer().endpoint() + " (client id " + ConnectorFixture.CLIENT_ID + ")");
        return new Running(fixture.payara(), fixture.mail(), ConnectorFixture.MAILBOX,
                "XOAUTH2 " + ConnectorFixture.MAILBOX, fixture::close);
    }

    private static Running startBasic(int port) throws Exception {
        BasicAuthFixture fixture = BasicAuthFixture.start("demo-basic", port, null);
        return new Running(fixture.payara(), fixture.mail(), BasicAuthFixture.MAILBOX,
                "LOGIN " + BasicAuthFixture.MAILBOX, fixture::close);
    }

    /** One mail through the HTTP endpoint; it must reach GreenMail and show in the inbox listing. */
    private static void selfTest(SampleAppClient app, Running running) {
        String subject = "demo self-test " + System.nanoTime();
        Reply sent = app.send(running.mailbox, subject, "sent by the demo self-test");
        say("POST /api/mail -> " + sent.status() + " " + sent.body().trim());
        if (!sent.ok()) {
            throw new IllegalStateException("demo self-test FAILED: send answered " + sent.status() + ": "
                    + sent.body());
        }
        await("mail with subject '" + subject + "' in GreenMail").atMost(Duration.ofSeconds(30))
                .until(() -> running.mail.received().stream().anyMatch(m -> hasSubject(m, subject)));
        String login = running.mail.smtpLogins().get(running.mail.smtpLogins().size() - 1);
        say("GreenMail: delivered, SMTP login " + login);
        if (!login.equals(running.expectedLogin)) {
            throw new IllegalStateException("demo self-test FAILED: expected SMTP login '" + running.expectedLogin
                    + "', GreenMail saw '" + login + "'");
        }
        Reply inbox = app.inbox();
        say("GET /api/inbox -> " + inbox.status() + " (" + inbox.body().lines().count() + " subjects)");
        if (!inbox.ok() || inbox.body().lines().noneMatch(subject::equals)) {
            throw new IllegalStateException("demo self-test FAILED: inbox answered " + inbox.status() + ": "
                    + inbox.body());
        }
    }

    private static boolean hasSubject(jakarta.mail.internet.MimeMessage message, String subject) {
        try {
            return subject.equals(message.getSubject());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void say(String line) {
        System.out.println("[demo " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
    }

    /** What runs, and how GreenMail must see the demo mailbox log in. */
    private record Running(PayaraMicro payara, MailServer mail, String mailbox, String expectedLogin, Runnable close) {
    }
}
