package io.github.oauth2mail.it.servers;

import io.github.oauth2mail.it.support.Cleanup;
import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.Ports;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * WildFly configured by {@code server-config/wildfly/oauth2-mail-connector.cli} (or {@code oauth2-mail-provider.cli})
 * exactly as checked in. Once per test JVM and script a fresh copy of the unpacked distribution is configured by that
 * script (embedded server, offline); every start
 * then runs on a copy of its configured {@code standalone/} folder ({@code jboss.server.base.dir}) with the sample WAR
 * in {@code deployments/}, free ports ({@code jboss.socket.binding.port-offset}) and the given environment.
 */
public final class WildFly implements AppServer {

    /** The WildFly release under test: {@code it.wildfly.version} (the failsafe execution's server row). */
    public static String version() {
        return ServerLayout.version("it.wildfly.version");
    }

    private static final String STARTED = "WFLYSRV0025";
    private static final String STARTED_WITH_ERRORS = "WFLYSRV0026";
    private static final Map<Mode, Path> HOMES = new EnumMap<>(Mode.class);

    private final ServerProcess process;
    private final Path baseDir;
    private final int httpPort;
    private final Mode mode;

    private WildFly(ServerProcess process, Path baseDir, int httpPort, Mode mode) {
        this.process = process;
        this.baseDir = baseDir;
        this.httpPort = httpPort;
        this.mode = mode;
    }

    /** How the mail resource is configured: which checked-in script. */
    public enum Mode {
        /** {@code oauth2-mail-connector.cli}: the .rar, IronJacamar pool, naming object factory. */
        CONNECTOR("oauth2-mail-connector.cli"),
        /** {@code oauth2-mail-provider.cli}: the mail subsystem's session with the adapter as a global module. */
        PROVIDER("oauth2-mail-provider.cli");

        private final String script;

        Mode(String script) {
            this.script = script;
        }
    }

    /** The WildFly home configured for {@code mode} in this JVM (configured on first use). */
    public static synchronized Path configuredHome(Mode mode) throws IOException {
        Path configured = HOMES.get(mode);
        if (configured != null) {
            return configured;
        }
        long t0 = System.nanoTime();
        Path home = Layout.work("wildfly-home-" + mode.name().toLowerCase(Locale.ROOT));
        Cleanup.deleteTree(home);
        ServerLayout.copyTree(ServerLayout.wildflyDist(), home);
        Path config = ServerLayout.serverConfig().resolve("wildfly");
        List<String> cli = new ArrayList<>(List.of("sh", home.resolve("bin/jboss-cli.sh").toString(),
                "--resolve-parameter-values", "--file=" + config.resolve(mode.script),
                "-Doauth2mail.config-name=demo",
                "-Doauth2mail.server-config=standalone.xml",
                "-Doauth2mail.app-deployment=sample-app.war",
                "-Doauth2mail.app-resource-ref=" + config.resolve("jboss-web-mail-resource.xml"),
                "-Doauth2mail.log-level=FINEST"));
        if (mode == Mode.CONNECTOR) {
            cli.add("-Doauth2mail.rar=" + Layout.adapterRar());
            cli.add("-Doauth2mail.naming.jar=" + ServerLayout.namingJar());
        } else {
            cli.add("-Doauth2mail.module.resources=" + String.join(":", ServerLayout.unpackJars(Layout.adapterRar(), home.resolve("oauth2-mail-lib"))));
            cli.add("-Doauth2mail.from=" + ConnectorFixture.MAILBOX);
        }
        String out = ServerProcess.run("jboss-cli", cli, home, ServerLayout.withJavaHome(Map.of()), home.resolve("jboss-cli.log"),
                Duration.ofSeconds(180));
        if (out.contains("\"outcome\" => \"failed\"") || !out.contains("\"outcome\" => \"success\"")) {
            throw new IllegalStateException(mode.script + " failed; log: " + home.resolve("jboss-cli.log"));
        }
        HOMES.put(mode, home);
        System.out.printf("WildFly %s: copied and configured by %s in %d ms%n", version(), mode.script,
                (System.nanoTime() - t0) / 1_000_000);
        return home;
    }

    /** Starts WildFly configured by the connector script. */
    public static WildFly start(String name, Map<String, String> env) throws IOException {
        return start(name, env, Mode.CONNECTOR);
    }

    /** Starts WildFly with the sample app; returns once it has started without errors (bounded: 180 s). */
    public static WildFly start(String name, Map<String, String> env, Mode mode) throws IOException {
        Path home = configuredHome(mode);
        Path work = Layout.work(name);
        Path base = work.resolve("standalone");
        Cleanup.deleteTree(base);
        ServerLayout.copyTree(home.resolve("standalone"), base);
        Files.copy(Layout.sampleWar(), base.resolve("deployments/sample-app.war"));
        int offset = freeOffset();
        List<String> cmd = new ArrayList<>(List.of("sh", home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1"));
        Map<String, String> processEnv = new LinkedHashMap<>(ServerLayout.withJavaHome(env));
        processEnv.put("JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true");
        processEnv.put("JBOSS_HOME", home.toString());
        ServerProcess process = ServerProcess.start("wildfly", cmd, work, processEnv, work.resolve("wildfly-console.log"),
                line -> line.contains(STARTED) || line.contains(STARTED_WITH_ERRORS));
        String line = process.awaitReady(Duration.ofSeconds(180));
        WildFly wildfly = new WildFly(process, base, 8080 + offset, mode);
        if (line.contains(STARTED_WITH_ERRORS)) {
            wildfly.close();
            throw new IllegalStateException("WildFly started with errors; log: " + work + "\n" + process.tail());
        }
        return wildfly;
    }

    /** A port offset for which every port of the standard socket binding group is free. */
    public static int freeOffset() {
        return Ports.freeOffset(8080, 8443, 9990, 9993, 8009, 4712, 4713);
    }

    @Override
    public String description() {
        return "WildFly " + version() + " on Java " + Layout.serverJavaVersion()
                + (mode == Mode.PROVIDER ? " (transport-provider mode)" : "");
    }

    @Override
    public URI sampleApp() {
        return URI.create("http://127.0.0.1:" + httpPort + "/sample-app");
    }

    @Override
    public String log() {
        return process.output() + ServerLayout.read(baseDir.resolve("log/server.log"));
    }

    @Override
    public Path logLocation() {
        return baseDir.resolve("log/server.log");
    }

    @Override
    public long startupMillis() {
        return process.readyMillis();
    }

    @Override
    public void close() {
        process.close();
    }
}
