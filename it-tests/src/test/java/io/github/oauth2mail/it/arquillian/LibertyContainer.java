package io.github.oauth2mail.it.arquillian;

import io.github.oauth2mail.it.support.Layout;
import java.io.IOException;
import io.github.oauth2mail.it.support.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import org.jboss.arquillian.config.descriptor.api.ContainerDef;

/**
 * What the managed Open Liberty container ({@code io.openliberty.arquillian:arquillian-liberty-managed-jakarta}) needs
 * before it starts the server, set by {@link MailFixtureExtension}: a user dir of its own with a server {@code mail}
 * whose {@code server.xml} is {@code server-config/liberty/server.xml} as checked in, its variables in
 * {@code bootstrap.properties} (the .rar, {@code OAUTH2MAIL_CONFIG_NAME=demo}, a free HTTP port) and the per-run
 * connector settings as environment variables in the server's {@code server.env} (secrets in a file, as an admin
 * keeps them, not on the command line the container logs). What the test protocol needs comes on top, in
 * {@code configDropins/overrides}: {@code servlet-6.0} (the servlet protocol's runner is an {@code HttpServlet}); the
 * container adds {@code localConnector-1.0}, through which it deploys.
 */
final class LibertyContainer {

    /** The container's qualifier in {@code src/test/resources-arquillian-liberty/arquillian.xml}. */
    static final String QUALIFIER = "liberty";
    private static final String SERVER = "mail";

    private LibertyContainer() {
    }

    /** Writes the server's folder and points the container at it. */
    static void prepare(ContainerDef def, Path work, Properties settings) throws IOException {
        Path usr = work.resolve("liberty-usr");
        Path server = Files.createDirectories(usr.resolve("servers").resolve(SERVER));
        Path config = Path.of(System.getProperty("it.server.config", "../server-config"));
        Files.copy(config.resolve("liberty/server.xml"), server.resolve("server.xml"), StandardCopyOption.REPLACE_EXISTING);
        // Arquillian's servlet protocol extends HttpServlet: Liberty shows the Servlet API to an application only when a
        // feature that exposes it is listed (restfulWS-3.1 uses servlet-6.0 without exposing it: NoClassDefFoundError)
        Path overrides = Files.createDirectories(server.resolve("configDropins/overrides"));
        Files.writeString(overrides.resolve("arquillian-protocol.xml"),
                "<server>\n    <featureManager>\n        <feature>servlet-6.0</feature>\n    </featureManager>\n</server>\n");
        int httpPort = Ports.free();
        Files.writeString(server.resolve("bootstrap.properties"), "OAUTH2MAIL_RAR=" + Layout.adapterRar() + "\n"
                + "OAUTH2MAIL_CONFIG_NAME=demo\n" + "default.http.port=" + httpPort + "\n");
        Files.writeString(server.resolve("server.env"), settings.stringPropertyNames().stream().sorted()
                .map(key -> asEnvVar(key) + "=" + settings.getProperty(key)).collect(Collectors.joining("\n", "", "\n")));
        Path wlp = Path.of(System.getProperty("it.liberty.dist", "target/servers/liberty/wlp")).toAbsolutePath();
        def.overrideProperty("wlpHome", wlp.toString());
        def.overrideProperty("usrDir", usr.toString());
        def.overrideProperty("serverName", SERVER);
        def.overrideProperty("httpPort", String.valueOf(httpPort));
    }

    /** {@code oauth2mail.demo.smtp.port} as the environment variable {@code OAUTH2MAIL_DEMO_SMTP_PORT}. */
    private static String asEnvVar(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
