package io.github.oauth2mail.it.arquillian;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.MailServer;
import io.github.oauth2mail.it.support.TokenIssuer;
import io.github.oauth2mail.testing.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.jboss.arquillian.config.descriptor.api.ContainerDef;
import org.jboss.arquillian.container.spi.Container;
import org.jboss.arquillian.container.spi.ContainerRegistry;
import org.jboss.arquillian.container.spi.event.container.AfterStop;
import org.jboss.arquillian.container.spi.event.container.BeforeSetup;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Client-side Arquillian extension (registered by {@code META-INF/services} in {@code src/test/resources-arquillian-payara}
 * {@code -wildfly} and {@code -liberty}, on the class path of the {@code arquillian-<server>} failsafe execution
 * only): the mail server and the token issuer must be up before the server boots (WildFly: {@link WildFlyContainer}), because the connector's settings (ports, token endpoint, trust store) are read when
 * the post-boot commands deploy the .rar. The managed container starts Payara on deploy, with the options of
 * {@code arquillian.xml}; this observer runs at {@link BeforeSetup}, before those options are read, starts GreenMail and
 * the issuer, writes the per-run settings as MicroProfile Config keys ({@code oauth2mail.demo.*}, the resource's
 * {@code ConfigName=demo}) to a properties file, and appends {@code --systemproperties <file>} to the container's
 * {@code extraMicroOptions}. A file and not {@code -D} options: the container logs its command line, and the client
 * secret and the trust store password are among these settings.
 */
public final class MailFixtureExtension implements LoadableExtension {

    private static volatile Fixture current;

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Observer.class);
    }

    /** The mail server and issuer of this run; only in the test JVM (a {@code @RunAsClient} test), never in Payara. */
    static Fixture fixture() {
        Fixture f = current;
        if (f == null) {
            throw new IllegalStateException("MailFixtureExtension did not start (not an arquillian-* failsafe execution?)");
        }
        return f;
    }

    /** How the mail server saw each SMTP transaction authenticated ({@code "XOAUTH2 <user>"}, ...), oldest first. */
    static List<String> smtpLogins() {
        return fixture().mail().smtpLogins();
    }

    /** The subjects of every message the mail server accepted, in order. */
    static List<String> receivedSubjects() {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : fixture().mail().received()) {
            try {
                subjects.add(m.getSubject());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return subjects;
    }

    static int issuedTokens() {
        return fixture().issuer().issuedCount();
    }

    /** GreenMail + the token issuer, the same wiring as {@link ConnectorFixture}. */
    record Fixture(MailServer mail, TokenIssuer issuer) implements AutoCloseable {
        @Override
        public void close() {
            try {
                issuer.close();
            } finally {
                mail.close();
            }
        }
    }

    /** Starts the fixture before the container is set up, stops it after the container stopped. */
    public static final class Observer {

        @Inject
        private Instance<ContainerRegistry> registry;

        public void startMailAndIssuer(@Observes BeforeSetup event) throws IOException {
            if (current != null) {
                return;
            }
            Path work = Layout.work("arquillian");
            TestCertificates certs = Layout.certificates();
            Path trustStore = ConnectorFixture.withPassword(certs.trustStore(), work.resolve("connector-trust.p12"));
            MailServer mail = MailServer.start(certs, ConnectorFixture.MAILBOX, "no-password-login-" + System.nanoTime());
            try {
                TokenIssuer issuer = TokenIssuer.start(certs, ConnectorFixture.CLIENT_ID, ConnectorFixture.CLIENT_SECRET,
                        3600, token -> { });
                current = new Fixture(mail, issuer);
                mail.acceptTokensFrom(issuer);
                for (Container container : registry.get().getContainers()) {
                    if (container.getDeployableContainer() == event.getDeployableContainer()) {
                        handOver(container.getContainerConfiguration(), work, mail, issuer, trustStore);
                    }
                }
            } catch (IOException | RuntimeException e) {
                Fixture started = current;
                current = null;
                if (started != null) {
                    started.close();
                } else {
                    mail.close();
                }
                throw e;
            }
        }

        public void stopMailAndIssuer(@Observes AfterStop event) {
            Fixture f = current;
            current = null;
            if (f != null) {
                f.close();
            }
        }

        /**
         * Payara Micro: its post-boot file sets provider, hosts and TLS as pool properties; the rest goes in as
         * {@code --systemproperties <file>}. WildFly ({@link WildFlyContainer}): the connector script sets only the
         * config name, so the file has every setting, handed over as {@code --properties=<file>}. Liberty
         * ({@link LibertyContainer}): every setting, as environment variables in the server's {@code server.env}.
         */
        private static void handOver(ContainerDef def, Path work, MailServer mail, TokenIssuer issuer, Path trustStore)
                throws IOException {
            Properties settings = settings(mail, issuer, trustStore);
            if (WildFlyContainer.QUALIFIER.equals(def.getContainerName())) {
                WildFlyContainer.addServerSideSettings(settings);
                WildFlyContainer.moveSecretsToTheEnvironment(settings);
                WildFlyContainer.prepare(def, write(work.resolve("connector-settings.properties"), settings));
            } else if (LibertyContainer.QUALIFIER.equals(def.getContainerName())) {
                WildFlyContainer.addServerSideSettings(settings); // Liberty's server.xml, too, sets only the config name
                LibertyContainer.prepare(def, work, settings);
            } else {
                Path file = write(work.resolve("connector-settings.properties"), settings);
                String options = def.getContainerProperty("extraMicroOptions");
                def.overrideProperty("extraMicroOptions", (options == null ? "" : options + " ") + "--systemproperties " + file);
            }
        }

        private static Properties settings(MailServer mail, TokenIssuer issuer, Path trustStore) {
            String prefix = "oauth2mail." + ConnectorFixture.CONFIG_NAME + ".";
            Properties p = new Properties();
            p.setProperty(prefix + "token-endpoint", issuer.endpoint().toString());
            p.setProperty(prefix + "client-id", ConnectorFixture.CLIENT_ID);
            p.setProperty(prefix + "client-secret", ConnectorFixture.CLIENT_SECRET);
            p.setProperty(prefix + "scope", ConnectorFixture.SCOPE);
            p.setProperty(prefix + "mailbox", ConnectorFixture.MAILBOX);
            p.setProperty(prefix + "smtp.port", String.valueOf(mail.smtpsPort()));
            p.setProperty(prefix + "imap.port", String.valueOf(mail.imapsPort()));
            p.setProperty(prefix + "trust-store-path", trustStore.toString());
            p.setProperty(prefix + "trust-store-password", ConnectorFixture.TRUST_STORE_PASSWORD);
            return p;
        }

        private static Path write(Path file, Properties p) {
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "per-run connector settings of the Arquillian tests (MicroProfile Config keys)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }
}
