package io.github.oauth2mail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open Liberty (the unpacked {@code openliberty-runtime}'s {@code wlp}, never modified: the server lives in a user dir
 * of its own under the run's work folder) with {@code server-config/liberty/server.xml} as checked in, with one change
 * as for Payara: {@code maxPoolSize} = the largest thread count. {@code bootstrap.properties} gives the variables the
 * file documents (the .rar, the config name, the trace level, the HTTP port); the benchmark WAR goes to
 * {@code dropins/}. The checked-in file lists the sample app's features and tells admins to list their application's
 * instead: the benchmark WAR needs {@code concurrent-3.0} (its ManagedThreadFactory) and {@code servlet-6.0}, added
 * by a {@code configDropins/overrides} file, so server.xml itself stays as admins copy it.
 */
final class LibertyBench extends AppServerBench {

    private static final Pattern MAX_POOL = Pattern.compile("maxPoolSize=\"\\d+\"");
    private static final String SERVER = "oauth2mail";
    static final String APP_FEATURES = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- the benchmark WAR's features (its @WebServlet and its @Resource ManagedThreadFactory) -->
            <server>
                <featureManager>
                    <feature>servlet-6.0</feature>
                    <feature>concurrent-3.0</feature>
                </featureManager>
            </server>
            """;

    private LibertyBench(AppServerProcess process, int httpPort) {
        super(process, httpPort);
    }

    static LibertyBench start(Path wlp, Path dist, Path config, Path work, Map<String, String> connectorEnv,
                              int maxThreads, boolean jfr, boolean streamProvider, int startSeconds) throws IOException {
        AppServerProcess.deleteTree(work);
        Path userDir = work.resolve("wlp-usr");
        Path serverDir = userDir.resolve("servers").resolve(SERVER);
        Files.createDirectories(serverDir.resolve("dropins"));
        Files.createDirectories(serverDir.resolve("configDropins/overrides"));
        String xml = Files.readString(config.resolve("server.xml"));
        Matcher m = MAX_POOL.matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("no maxPoolSize in server.xml: update LibertyBench");
        }
        Files.writeString(serverDir.resolve("server.xml"), m.replaceAll("maxPoolSize=\"" + maxThreads + "\""));
        Files.writeString(serverDir.resolve("configDropins/overrides/bench-app-features.xml"), APP_FEATURES);
        Files.copy(dist.resolve("bench.war"), serverDir.resolve("dropins/bench.war"));
        int port = BenchMain.freePort();
        Files.writeString(serverDir.resolve("bootstrap.properties"), String.join("\n",
                "default.http.port=" + port, "OAUTH2MAIL_CONFIG_NAME=demo", "OAUTH2MAIL_LOG_LEVEL=warning",
                "OAUTH2MAIL_RAR=" + dist.resolve("oauth2-mail-adapter.rar")) + "\n");
        Map<String, String> env = new LinkedHashMap<>(connectorEnv);
        env.put("WLP_USER_DIR", userDir.toString());
        env.put("JVM_ARGS", BenchServer.jvmOptions(work, "liberty", jfr, streamProvider));
        AppServerProcess p = AppServerProcess.start(List.of("sh", wlp.resolve("bin/server").toString(), "run", SERVER),
                work, env, work.resolve("liberty.log"));
        LibertyBench liberty = new LibertyBench(p, port);
        try {
            p.awaitLine(l -> l.contains("CWWKF0011I"), startSeconds);
            p.awaitLine(l -> l.contains("CWWKZ0001I") && l.contains(" bench "), 60);
        } catch (IOException | RuntimeException e) {
            liberty.close();
            throw new IOException("Liberty did not start with bench.war: " + e.getMessage(), e);
        }
        return liberty;
    }
}
