package io.github.oauth2mail.it.support;

import io.github.oauth2mail.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * GreenMail + Payara Micro with an ordinary Payara mail resource (basic auth), wired by
 * {@code server-config/payara/post-boot-basic-auth.asadmin} as it is checked in. The Payara JVM trusts GreenMail's
 * self-signed certificate through {@code javax.net.ssl.trustStore}.
 */
public final class BasicAuthFixture implements AutoCloseable {

    public static final String MAILBOX = "app@example.com";
    public static final String PASSWORD = "basic-password-1";

    private final MailServer mail;
    private final PayaraMicro payara;

    private BasicAuthFixture(MailServer mail, PayaraMicro payara) {
        this.mail = mail;
        this.payara = payara;
    }

    /** Starts both; {@code httpPort} 0 picks a free port. */
    public static BasicAuthFixture start(String name, int httpPort, Consumer<String> echo) throws IOException {
        Path work = Layout.work(name);
        TestCertificates certs = Layout.certificates();
        MailServer mail = MailServer.start(certs, MAILBOX, PASSWORD);
        try {
            PayaraMicro payara = PayaraMicro.builder(work)
                    .postBootCommandFile(Layout.payaraConfig().resolve("post-boot-basic-auth.asadmin"))
                    .deploy(Layout.sampleWar())
                    .httpPort(httpPort)
                    .echo(echo)
                    .env("MAIL_HOST", MailServer.HOST)
                    .env("MAIL_SMTPS_PORT", String.valueOf(mail.smtpsPort()))
                    .env("MAIL_IMAPS_PORT", String.valueOf(mail.imapsPort()))
                    .env("MAIL_USER", MAILBOX)
                    .env("MAIL_PASSWORD", PASSWORD)
                    .jvmTrustStore(certs.trustStore(), TestCertificates.PASSWORD)
                    .start();
            return new BasicAuthFixture(mail, payara);
        } catch (IOException | RuntimeException e) {
            mail.close();
            throw e;
        }
    }

    public MailServer mail() {
        return mail;
    }

    public PayaraMicro payara() {
        return payara;
    }

    public SampleAppClient app() {
        return new SampleAppClient(payara.sampleApp());
    }

    @Override
    public void close() {
        try {
            payara.close();
        } finally {
            mail.close();
        }
    }
}
