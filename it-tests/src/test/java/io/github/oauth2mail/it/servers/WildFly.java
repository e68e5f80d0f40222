package io.github.oauth2mail.it.servers;

import io.github.oauth2mail.it.support.Layout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WildFly configured by {@code server-config/wildfly/oauth2-mail-connector.cli} exactly as checked in. Once per test
 * JVM a fresh copy of the unpacked distribution is configured by that script (embedded server, offline); every start
 * then runs on a copy of its configured {@code standalone/} folder ({@code jboss.server.base.dir}) with the sample WAR
 * in {@code deployments/}, free ports ({@code jboss.socket.binding.port-offset}) and the given environment.
 */
public final class WildFly implements AppServer {

    public static final String VERSION = "38.0.1.Final";
    private static final String STARTED = "WFLYSRV0025";
    private static final String STARTED_WITH_ERRORS = "WFLYSRV0026";
    private static Path configuredHome;
    private static long configureMillis;

    private final ServerProcess process;
    private final Path baseDir;
    private final int httpPort;

    private WildFly(ServerProcess process, Path baseDir, int httpPort) {
        this.process = process;
        this.baseDir = baseDir;
        this.httpPort = httpPort;
    }

    /** The configured WildFly home of this JVM (configured on first use). */
    static synchronized Path configuredHome() throws IOException {
        if (configuredHome == null) {
            long t0 = System.nanoTime();
            Path home = Layout.work("wildfly-home");
            ServerLayout.deleteTree(home);
            ServerLayout.copyTree(ServerLayout.wildflyDist(), home);
            Path config = ServerLayout.serverConfig().resolve("wildfly");
            List<String> cli = List.of("sh", home.resolve("bin/jboss-cli.sh").toString(), "--resolve-parameter-values",
                    "--file=" + config.resolve("oauth2-mail-connector.cli"),
                    "-Doauth2mail.rar=" + Layout.adapterRar(),
                    "-Doauth2mail.naming.jar=" + ServerLayout.namingJar(),
                    "-Doauth2mail.config-name=demo",
                    "-Doauth2mail.server-config=standalone.xml",
                    "-Doauth2mail.app-deployment=sample-app.war",
                    "-Doauth2mail.app-resource-ref=" + config.resolve("jboss-web-mail-resource.xml"),
                    "-Doauth2mail.log-level=FINEST");
            String out = ServerProcess.run("jboss-cli", cli, home, Map.of(), home.resolve("jboss-cli.log"),
                    Duration.ofSeconds(180));
            if (out.contains("\"outcome\" => \"failed\"") || !out.contains("\"outcome\" => \"success\"")) {
                throw new IllegalStateException("oauth2-mail-connector.cli failed; log: " + home.resolve("jboss-cli.log"));
            }
            configuredHome = home;
            configureMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        return configuredHome;
    }

    /** How long the one-time configuration (copy + jboss-cli) took, for the timings table. */
    static long configureMillis() {
        return configureMillis;
    }

    /** Starts WildFly with the sample app; returns once it has started without errors (bounded: 180 s). */
    public static WildFly start(String name, Map<String, String> env) throws IOException {
        Path home = configuredHome();
        Path work = Layout.work(name);
        Path base = work.resolve("standalone");
        ServerLayout.deleteTree(base);
        ServerLayout.copyTree(home.resolve("standalone"), base);
        Files.copy(Layout.sampleWar(), base.resolve("deployments/sample-app.war"));
        int offset = freeOffset();
        List<String> cmd = new ArrayList<>(List.of("sh", home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1"));
        Map<String, String> processEnv = new LinkedHashMap<>(env);
        processEnv.put("JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true");
        processEnv.put("JBOSS_HOME", home.toString());
        ServerProcess process = ServerProcess.start("wildfly", cmd, work, processEnv, work.resolve("wildfly-console.log"),
                line -> line.contains(STARTED) || line.contains(STARTED_WITH_ERRORS));
        String line = process.awaitReady(Duration.ofSeconds(180));
        WildFly wildfly = new WildFly(process, base, 8080 + offset);
        if (line.contains(STARTED_WITH_ERRORS)) {
            wildfly.close();
            throw new IllegalStateException("WildFly started with errors; log: " + work + "\n" + process.tail());
        }
        return wildfly;
    }

    /** A port offset for which every port of the standard socket binding group is free. */
    private static int freeOffset() {
        int[] ports = {8080, 8443, 9990, 9993, 8009, 4712, 4713};
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 10_000 + (int) (Math.random() * 40_000);
            boolean free = true;
            for (int p : ports) {
                free &= p + offset < 65_536 && ServerLayout.portFree(p + offset);
            }
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset for WildFly");
    }

    @Override
    public String description() {
        return "WildFly " + VERSION;
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
