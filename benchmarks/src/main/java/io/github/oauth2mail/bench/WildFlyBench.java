package io.github.oauth2mail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WildFly (the unpacked {@code wildfly-dist}, a fresh copy per run) configured by
 * {@code server-config/wildfly/oauth2-mail-connector.cli} as checked in (embedded CLI, offline: the .rar, IronJacamar's
 * pool with {@code validate-on-match=false}, the naming module, the deployment overlay with
 * {@code jboss-web-mail-resource.xml} for {@code bench.war}), with one change as for Payara: {@code max-pool-size} =
 * the largest thread count. The benchmark WAR goes to {@code deployments/}; the connector's settings come from the
 * environment ({@link BenchServer#connectorEnv}).
 */
final class WildFlyBench extends AppServerBench {

    private static final Pattern MAX_POOL = Pattern.compile("max-pool-size=\\d+");

    private WildFlyBench(AppServerProcess process, int httpPort) {
        super(process, httpPort);
    }

    static WildFlyBench start(Path wildflyDist, Path dist, Path config, Path work, Map<String, String> connectorEnv,
                              int maxThreads, boolean jfr, boolean streamProvider, int startSeconds)
            throws IOException, InterruptedException {
        Path home = work.resolve("home");
        AppServerProcess.deleteTree(work);
        Files.createDirectories(work);
        AppServerProcess.copyTree(wildflyDist, home);
        String script = Files.readString(config.resolve("oauth2-mail-connector.cli"));
        Matcher m = MAX_POOL.matcher(script);
        if (!m.find()) {
            throw new IllegalStateException("no max-pool-size in oauth2-mail-connector.cli: update WildFlyBench");
        }
        Path cli = work.resolve("oauth2-mail-connector-bench.cli");
        Files.writeString(cli, m.replaceAll("max-pool-size=" + maxThreads));
        Map<String, String> javaHome = Map.of("JAVA_HOME", System.getProperty("java.home"));
        String out = AppServerProcess.run(List.of("sh", home.resolve("bin/jboss-cli.sh").toString(),
                "--resolve-parameter-values", "--file=" + cli,
                "-Doauth2mail.rar=" + dist.resolve("oauth2-mail-adapter.rar"),
                "-Doauth2mail.naming.jar=" + dist.resolve("oauth2-mail-wildfly-naming.jar"),
                "-Doauth2mail.config-name=demo", "-Doauth2mail.server-config=standalone.xml",
                "-Doauth2mail.app-deployment=bench.war",
                "-Doauth2mail.app-resource-ref=" + config.resolve("jboss-web-mail-resource.xml"),
                "-Doauth2mail.log-level=WARN"), home, javaHome, work.resolve("jboss-cli.log"), 240);
        if (out.contains("\"outcome\" => \"failed\"") || !out.contains("\"outcome\" => \"success\"")) {
            throw new IOException("oauth2-mail-connector.cli failed; log: " + work.resolve("jboss-cli.log"));
        }
        Files.copy(dist.resolve("bench.war"), home.resolve("standalone/deployments/bench.war"));
        int offset = freeOffset();
        Map<String, String> env = new LinkedHashMap<>(connectorEnv);
        env.put("JAVA_OPTS", BenchServer.jvmOptions(work, "wildfly", jfr, streamProvider));
        env.put("JBOSS_HOME", home.toString());
        List<String> cmd = new ArrayList<>(List.of("sh", home.resolve("bin/standalone.sh").toString(),
                "-Djboss.socket.binding.port-offset=" + offset, "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1"));
        AppServerProcess p = AppServerProcess.start(cmd, work, env, work.resolve("wildfly.log"));
        WildFlyBench wildfly = new WildFlyBench(p, 8080 + offset);
        try {
            String line = p.awaitLine(l -> l.contains("WFLYSRV0025") || l.contains("WFLYSRV0026"), startSeconds);
            if (line.contains("WFLYSRV0026") || !p.output().contains("WFLYSRV0010: Deployed \"bench.war\"")) {
                throw new IOException("WildFly started with errors or without bench.war; log: "
                        + work.resolve("wildfly.log"));
            }
        } catch (IOException | RuntimeException e) {
            wildfly.close();
            throw e;
        }
        return wildfly;
    }

    /** A port offset for which every port of the standard socket binding group is free. */
    private static int freeOffset() throws IOException {
        int[] ports = {8080, 8443, 9990, 9993, 8009, 4712, 4713};
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 10_000 + (int) (Math.random() * 40_000);
            boolean free = true;
            for (int port : ports) {
                free &= port + offset < 65_536 && portFree(port + offset);
            }
            if (free) {
                return offset;
            }
        }
        throw new IOException("no free port offset for WildFly");
    }

    private static boolean portFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
