package io.github.oauth2mail.it.arquillian;

import io.github.oauth2mail.it.servers.WildFly;
import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.MailServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import org.jboss.arquillian.config.descriptor.api.ContainerDef;

/**
 * What the managed WildFly container ({@code org.wildfly.arquillian:wildfly-arquillian-container-managed}) needs before
 * it starts the server, set by {@link MailFixtureExtension} on the container's configuration: the home (a copy of the
 * distribution configured by {@code server-config/wildfly/oauth2-mail-connector.cli} as checked in, the one the WildFly
 * ITs use), a free port offset (the server's ports and the management port Arquillian deploys through) and the per-run
 * connector settings as a system-properties file ({@code --properties=<url>} of {@code standalone.sh}), but the two
 * secrets, which come from the environment ({@link #moveSecretsToTheEnvironment}).
 */
final class WildFlyContainer {

    /** The container's qualifier in {@code src/test/resources-arquillian-wildfly/arquillian.xml}. */
    static final String QUALIFIER = "wildfly";

    private WildFlyContainer() {
    }

    /**
     * The settings that Payara's post-boot file gives as pool properties and WildFly's script leaves to MicroProfile
     * Config (as {@code ServerFixture} does for the WildFly ITs): the generic OAuth2 provider, the hosts and implicit TLS.
     */
    static void addServerSideSettings(Properties settings) {
        String prefix = "oauth2mail." + ConnectorFixture.CONFIG_NAME + ".";
        settings.setProperty(prefix + "provider", "oauth2");
        settings.setProperty(prefix + "grant-type", "client_credentials");
        settings.setProperty(prefix + "smtp.host", MailServer.HOST);
        settings.setProperty(prefix + "smtp.tls", "implicit");
        settings.setProperty(prefix + "imap.host", MailServer.HOST);
        settings.setProperty(prefix + "imap.tls", "implicit");
    }

    /**
     * Takes the secrets out of {@code settings}: WildFly logs every system property at boot ({@code org.jboss.as.config}
     * at DEBUG in {@code server.log}, as shipped), the file's too. The server process inherits the test JVM's
     * environment, where the {@code arquillian-wildfly} execution puts the two secrets as
     * {@code OAUTH2MAIL_DEMO_CLIENT_SECRET} and {@code OAUTH2MAIL_DEMO_TRUST_STORE_PASSWORD}; fails unless they are
     * there with the fixture's values.
     */
    static void moveSecretsToTheEnvironment(Properties settings) {
        String prefix = "oauth2mail." + ConnectorFixture.CONFIG_NAME + ".";
        for (String key : new String[] {"client-secret", "trust-store-password"}) {
            String value = (String) settings.remove(prefix + key);
            String env = (prefix + key).toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            if (!value.equals(System.getenv(env))) {
                throw new IllegalStateException(env + " is not set to the fixture's value in this JVM's environment"
                        + " (the arquillian-wildfly failsafe execution sets it)");
            }
        }
    }

    /** Points the container at the configured home, a free port offset and the settings file. */
    static void prepare(ContainerDef def, Path settings) throws IOException {
        Path home = WildFly.configuredHome(WildFly.Mode.CONNECTOR);
        int offset = WildFly.freeOffset();
        def.overrideProperty("jbossHome", home.toString());
        def.overrideProperty("managementPort", String.valueOf(9990 + offset));
        String vmArgs = def.getContainerProperty("javaVmArguments");
        def.overrideProperty("javaVmArguments", (vmArgs == null ? "" : vmArgs + " ")
                + "-Djboss.socket.binding.port-offset=" + offset);
        def.overrideProperty("jbossArguments", "--properties=" + settings.toUri());
    }
}
