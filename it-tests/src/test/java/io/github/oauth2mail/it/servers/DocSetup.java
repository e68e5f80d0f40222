package io.github.oauth2mail.it.servers;

import io.github.oauth2mail.it.support.Cleanup;
import io.github.oauth2mail.it.support.DocBlocks;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.Ports;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server set up by the docs' own blocks, as an admin would: a fresh copy of the unpacked distribution, the
 * placeholders of docs/servers.md ("From an empty server: the placeholders") as environment variables, the marked
 * setup block run with {@code bash -eu} in an empty folder, then the generic OAuth2 settings block and the start block
 * in one shell. The only additions are the ones the placeholders section names: a free HTTP port and the trust store
 * of the test certificate. Output of each step: {@code setup.log}, {@code server-console.log} in the work folder.
 */
public final class DocSetup implements AppServer {

    /** What differs between the servers: the marked blocks, the distribution and how the tests pick the port. */
    public enum Kind {
        WILDFLY("servers.md", "wildfly-setup", "wildfly-start", "wildfly", List.of("standalone/log/server.log")),
        LIBERTY("servers.md", "liberty-setup", "liberty-start", "wlp", List.of("usr/servers/mail/logs/messages.log")),
        /** No setup script: the doc's {@code post-boot.asadmin} block is the file the start block names. */
        PAYARA("payara.md", null, "payara-start", "payara", List.of());

        private final String doc;
        private final String setupBlock;
        private final String startBlock;
        private final String home;
        private final List<String> logs;

        Kind(String doc, String setupBlock, String startBlock, String home, List<String> logs) {
            this.doc = doc;
            this.setupBlock = setupBlock;
            this.startBlock = startBlock;
            this.home = home;
            this.logs = logs;
        }

        /** The marked blocks of this server's doc that the test runs (the settings block is in {@link #DOC}). */
        public List<String> blocks() {
            return setupBlock == null ? List.of(startBlock) : List.of(setupBlock, startBlock);
        }

        public Path doc() {
            return DocBlocks.doc(doc);
        }
    }

    /** The doc with the placeholders and the settings blocks. */
    public static final String DOC = "servers.md";

    private final Kind kind;
    private final ServerProcess process;
    private final Path home;
    private final int httpPort;

    private DocSetup(Kind kind, ServerProcess process, Path home, int httpPort) {
        this.kind = kind;
        this.process = process;
        this.home = home;
        this.httpPort = httpPort;
    }

    /** A launcher for {@link ServerFixture}: its {@code OAUTH2MAIL_DEMO_*} values become the doc's placeholders. */
    public static ServerFixture.Launcher launcher(Kind kind) {
        return (name, env) -> start(kind, name, env);
    }

    /** The doc's placeholders filled from the fixture's values (GreenMail, the issuer, the built archives). */
    static Map<String, String> placeholders(Kind kind, Path home, Map<String, String> demo) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("SERVER_CONFIG", ServerLayout.serverConfig().toString());
        p.put("OAUTH2MAIL_RAR", Layout.adapterRar().toString());
        p.put("APP_WAR", Layout.sampleWar().toString());
        switch (kind) {
            case WILDFLY -> {
                p.put("JBOSS_HOME", home.toString());
                p.put("OAUTH2MAIL_NAMING_JAR", ServerLayout.namingJar().toString());
            }
            case LIBERTY -> p.put("WLP", home.toString());
            case PAYARA -> p.put("PAYARA_MICRO_JAR", Layout.payaraMicroJar().toString());
        }
        for (String key : List.of("TOKEN_ENDPOINT", "CLIENT_ID", "CLIENT_SECRET", "SCOPE", "MAILBOX", "SMTP_HOST",
                "SMTP_PORT", "IMAP_HOST", "IMAP_PORT")) {
            p.put(key, demo.get("OAUTH2MAIL_DEMO_" + key));
        }
        return p;
    }

    static DocSetup start(Kind kind, String name, Map<String, String> demo) throws IOException {
        Path home = freshHome(kind, name);
        Path shell = Layout.work(name).resolve("shell");
        Map<String, String> env = ServerLayout.withJavaHome(placeholders(kind, home, demo));

        if (kind == Kind.PAYARA) {
            // the doc shows the file's content and names it post-boot.asadmin
            Files.writeString(shell.resolve("post-boot.asadmin"), DocBlocks.block(kind.doc(), "payara-post-boot"));
        } else {
            runBlock(name, kind.doc(), kind.setupBlock, env, "setup");
        }
        Map<String, String> startEnv = new LinkedHashMap<>(env);
        startEnv.put("OAUTH2MAIL_OFFICE365_TRUST_STORE_PATH", demo.get("OAUTH2MAIL_DEMO_TRUST_STORE_PATH"));
        startEnv.put("OAUTH2MAIL_OFFICE365_TRUST_STORE_PASSWORD", demo.get("OAUTH2MAIL_DEMO_TRUST_STORE_PASSWORD"));
        return launch(kind, name, DocBlocks.block(DocBlocks.doc(DOC), "oauth2-settings") + "\n"
                + DocBlocks.block(kind.doc(), kind.startBlock), startEnv, "", "server-console");
    }

    /**
     * A fresh copy of the distribution (none for Payara Micro) in the work folder {@code name}, and an empty
     * {@code shell} folder there for the blocks; returns the server's home.
     */
    static Path freshHome(Kind kind, String name) throws IOException {
        Path work = Layout.work(name);
        Path home = work.resolve(kind.home);
        Path shell = work.resolve("shell");
        Cleanup.deleteTree(home);
        Cleanup.deleteTree(shell);
        Files.createDirectories(shell);
        if (kind != Kind.PAYARA) {
            ServerLayout.copyTree(kind == Kind.WILDFLY ? ServerLayout.wildflyDist() : ServerLayout.libertyDist(), home);
        }
        return home;
    }

    /** Runs the block marked {@code block} of {@code doc} as written ({@code bash -eu}, in the work folder's shell folder); output: {@code <log>.log}. */
    static void runBlock(String name, Path doc, String block, Map<String, String> env, String log) throws IOException {
        Path work = Layout.work(name);
        Path shell = work.resolve("shell");
        Files.writeString(shell.resolve(block + ".sh"), DocBlocks.block(doc, block));
        ServerProcess.run(block, List.of("bash", "-eu", block + ".sh"), shell, env, work.resolve(log + ".log"),
                Duration.ofSeconds(300));
    }

    /**
     * Starts the server set up in the work folder {@code name} by the shell text {@code script} (the doc's start block,
     * after the settings block when the connector is configured), with {@code env}, a free HTTP port and
     * {@code jvmArgs} added to the server JVM's options; fails unless the sample app started. Output: {@code <log>.log}.
     */
    static DocSetup launch(Kind kind, String name, String script, Map<String, String> env, String jvmArgs, String log)
            throws IOException {
        Path work = Layout.work(name);
        Path home = work.resolve(kind.home);
        Path shell = work.resolve("shell");
        Files.writeString(shell.resolve("start.sh"), script);
        Map<String, String> startEnv = new LinkedHashMap<>(env);
        String extra = jvmArgs.isEmpty() ? "" : " " + jvmArgs;
        int port;
        if (kind == Kind.WILDFLY) {
            int offset = WildFly.freeOffset();
            port = 8080 + offset;
            startEnv.put("JAVA_OPTS", "-Xmx512m -Djava.net.preferIPv4Stack=true -Djboss.socket.binding.port-offset="
                    + offset + " -Djboss.bind.address=127.0.0.1 -Djboss.bind.address.management=127.0.0.1" + extra);
            pointCliAtManagementPort(home, 9990 + offset);
        } else if (kind == Kind.LIBERTY) {
            port = Ports.free();
            startEnv.put("DEFAULT_HTTP_PORT", String.valueOf(port));
            startEnv.put("JVM_ARGS", "-Xmx512m -Djava.net.preferIPv4Stack=true" + extra);
        } else {
            port = Ports.free();
            Path tmp = Files.createDirectories(home.resolve("tmp"));
            startEnv.put("JAVA_TOOL_OPTIONS", "-Xmx512m -Djava.net.preferIPv4Stack=true -Dpayaramicro.port=" + port
                    + " -Djava.io.tmpdir=" + tmp + extra);
            startEnv.put("PATH", Layout.serverJavaHome().resolve("bin") + ":" + System.getenv("PATH"));
        }
        ServerProcess process = ServerProcess.start(kind.name().toLowerCase(java.util.Locale.ROOT),
                List.of("bash", "-eu", "start.sh"), shell, startEnv, work.resolve(log + ".log"),
                line -> line.contains("WFLYSRV0025") || line.contains("WFLYSRV0026") || line.contains("CWWKF0011I")
                        || line.contains(" ready in "));
        String ready = process.awaitReady(Duration.ofSeconds(240));
        DocSetup server = new DocSetup(kind, process, home, port);
        boolean appStarted = switch (kind) {
            case WILDFLY -> !ready.contains("WFLYSRV0026");
            case LIBERTY -> server.log().contains("CWWKZ0001I: Application sample-app started");
            case PAYARA -> true; // Payara Micro says " ready in " also when a deployment failed: the send tells
        };
        if (!appStarted) {
            server.close();
            throw new IllegalStateException(kind + " started without the app (or with errors); log: " + work + "\n"
                    + process.tail());
        }
        return server;
    }

    /**
     * The doc's {@code jboss-cli.sh --connect} reaches {@code localhost:9990} by the default controller of
     * {@code bin/jboss-cli.xml}; the tests' server runs with a port offset, so the copy's default controller names that
     * port (what the doc's {@code --controller=<host>:<port>} would do), and the address WildFly binds.
     */
    private static void pointCliAtManagementPort(Path home, int port) throws IOException {
        Path cliXml = home.resolve("bin/jboss-cli.xml");
        String xml = Files.readString(cliXml);
        String updated = xml.replaceFirst("(?s)(<default-controller>.*?<host>)[^<]*(</host>\\s*<port>)\\d+(</port>)",
                "$1" + "127.0.0.1" + "$2" + port + "$3");
        if (updated.equals(xml) && !xml.contains("<port>" + port + "</port>")) {
            throw new IllegalStateException("no default-controller host/port in " + cliXml);
        }
        Files.writeString(cliXml, updated);
    }

    @Override
    public String description() {
        String server = switch (kind) {
            case WILDFLY -> "WildFly " + WildFly.version();
            case LIBERTY -> "Open Liberty " + Liberty.version();
            case PAYARA -> "Payara Micro " + System.getProperty("it.payara.version", "");
        };
        return server + " set up by docs/" + kind.doc + " on Java " + Layout.serverJavaVersion();
    }

    @Override
    public URI sampleApp() {
        return URI.create("http://127.0.0.1:" + httpPort + "/sample-app");
    }

    @Override
    public String log() {
        StringBuilder all = new StringBuilder(process.output());
        kind.logs.forEach(file -> all.append(ServerLayout.read(home.resolve(file))));
        return all.toString();
    }

    @Override
    public Path logLocation() {
        return kind.logs.isEmpty() ? process.logFile() : home.resolve(kind.logs.get(0));
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
