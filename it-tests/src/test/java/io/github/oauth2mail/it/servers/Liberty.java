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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open Liberty with {@code server-config/liberty/server.xml} (or {@code server-provider-mode.xml}) exactly as checked
 * in, in a user dir of its own
 * ({@code WLP_USER_DIR}) under the run's work folder: the server's {@code bootstrap.properties} gives the variables
 * the file documents (the .rar, the config name, the trace level, the HTTP port), the sample WAR goes to
 * {@code dropins/}, and the environment carries the MicroProfile Config keys and secrets.
 */
public final class Liberty implements AppServer {

    /** The Open Liberty release under test: {@code it.liberty.version} (the failsafe execution's server row). */
    public static String version() {
        return ServerLayout.version("it.liberty.version");
    }

    private static final String SERVER = "oauth2mail";
    private static final String READY = "CWWKF0011I";

    private final ServerProcess process;
    private final Path serverDir;
    private final int httpPort;

    private final boolean providerMode;

    private Liberty(ServerProcess process, Path serverDir, int httpPort, boolean providerMode) {
        this.process = process;
        this.serverDir = serverDir;
        this.httpPort = httpPort;
        this.providerMode = providerMode;
    }

    /** Starts Liberty configured by {@code server.xml} (the connector resource). */
    public static Liberty start(String name, Map<String, String> env, String logLevel) throws IOException {
        return start(name, env, logLevel, false);
    }

    /**
     * Starts Liberty with the sample app, configured by {@code server.xml} or, in transport-provider mode, by
     * {@code server-provider-mode.xml}; returns once it is ready with the app started (bounded: 240 s).
     */
    public static Liberty start(String name, Map<String, String> env, String logLevel, boolean providerMode)
            throws IOException {
        Path work = Layout.work(name);
        Path userDir = work.resolve("wlp-usr");
        Cleanup.deleteTree(userDir);
        Path serverDir = userDir.resolve("servers").resolve(SERVER);
        Files.createDirectories(serverDir.resolve("dropins"));
        int port = Ports.free();
        List<String> bootstrap = new ArrayList<>(List.of(
                "default.http.port=" + port,
                "OAUTH2MAIL_CONFIG_NAME=demo",
                "OAUTH2MAIL_LOG_LEVEL=" + logLevel));
        if (providerMode) {
            Files.copy(ServerLayout.serverConfig().resolve("liberty/server-provider-mode.xml"),
                    serverDir.resolve("server.xml"));
            Path lib = work.resolve("oauth2-mail-lib");
            ServerLayout.unpackJars(Layout.adapterRar(), lib);
            bootstrap.add("OAUTH2MAIL_LIB=" + lib);
            bootstrap.add("OAUTH2MAIL_FROM=" + ConnectorFixture.MAILBOX);
            bootstrap.add("OAUTH2MAIL_APP=" + Layout.sampleWar());
        } else {
            Files.copy(ServerLayout.serverConfig().resolve("liberty/server.xml"), serverDir.resolve("server.xml"));
            Files.copy(Layout.sampleWar(), serverDir.resolve("dropins/sample-app.war"));
            bootstrap.add("OAUTH2MAIL_RAR=" + Layout.adapterRar());
        }
        Files.writeString(serverDir.resolve("bootstrap.properties"), String.join("\n", bootstrap) + "\n");
        Map<String, String> processEnv = new LinkedHashMap<>(ServerLayout.withJavaHome(env));
        processEnv.put("WLP_USER_DIR", userDir.toString());
        processEnv.put("JVM_ARGS", "-Xmx512m -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true");
        List<String> cmd = List.of("sh", ServerLayout.libertyDist().resolve("bin/server").toString(), "run", SERVER);
        ServerProcess process = ServerProcess.start("liberty", cmd, work, processEnv, work.resolve("liberty-console.log"),
                line -> line.contains(READY));
        process.awaitReady(Duration.ofSeconds(240));
        Liberty liberty = new Liberty(process, serverDir, port, providerMode);
        if (!liberty.log().contains("CWWKZ0001I: Application sample-app started")) {
            liberty.close();
            throw new IllegalStateException("Liberty is ready but sample-app did not start; log: " + serverDir
                    + "/logs\n" + process.tail());
        }
        return liberty;
    }

    @Override
    public String description() {
        return "Open Liberty " + version() + " on Java " + Layout.serverJavaVersion() + (providerMode ? " (transport-provider mode)" : "");
    }

    @Override
    public URI sampleApp() {
        return URI.create("http://127.0.0.1:" + httpPort + "/sample-app");
    }

    /** Console, messages.log and trace.log (where the connector's FINE/FINEST lines go). */
    @Override
    public String log() {
        Path logs = serverDir.resolve("logs");
        return process.output() + ServerLayout.read(logs.resolve("messages.log")) + ServerLayout.read(logs.resolve("trace.log"));
    }

    @Override
    public Path logLocation() {
        return serverDir.resolve("logs");
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
