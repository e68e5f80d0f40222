package io.github.oauth2mail.it.payara;

import io.github.oauth2mail.it.support.Cleanup;
import io.github.oauth2mail.it.servers.AppServer;
import io.github.oauth2mail.it.support.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Payara Server domain of its own in a test's work folder: {@code asadmin create-domain --nopassword --portbase <free
 * base> --domaindir <work>/domains}, started with {@code start-domain} (which returns once the DAS is up), stopped with
 * {@code stop-domain} and, should that fail, by the pid the domain wrote. The unpacked distribution is never written
 * to. Commands reach the DAS through asadmin's own variable {@code AS_ADMIN_PORT} (what {@code --port} would do).
 */
final class PayaraDomain implements AppServer {

    static final String NAME = "it";
    /** The domain's master password after {@code --nopassword}: its key store and trust store are locked with it. */
    static final String MASTER_PASSWORD = "changeit";

    private final Path home;
    private final Path work;
    private final Path domainDir;
    private final int portBase;
    private final Thread killOnExit;
    private long startMillis = -1;

    private PayaraDomain(Path home, Path work, int portBase) {
        this.home = home;
        this.work = work;
        this.domainDir = work.resolve("domains");
        this.portBase = portBase;
        this.killOnExit = new Thread(this::kill, "payara-domain-kill-on-exit");
    }

    /** The unpacked {@code payara6} folder of the failsafe execution ({@code it.payara.server.dist}). */
    static Path home() {
        return Path.of(System.getProperty("it.payara.server.dist", "target/servers/payara6")).toAbsolutePath();
    }

    /** Creates a new domain (fresh domains folder in {@code work}) on a port base whose 100 ports are free. */
    static PayaraDomain create(Path work) throws IOException {
        PayaraDomain domain = new PayaraDomain(home(), work, freePortBase());
        Cleanup.deleteTree(domain.domainDir);
        domain.asadmin("create-domain", List.of("create-domain", "--nopassword", "--portbase",
                String.valueOf(domain.portBase), "--domaindir", domain.domainDir.toString(), NAME));
        return domain;
    }

    /** The environment asadmin and the doc's blocks run with: the DAS's port and the JDK of the server row. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ASADMIN", asadminPath().toString());
        env.put("AS_ADMIN_PORT", String.valueOf(adminPort()));
        env.put("JAVA_HOME", Layout.serverJavaHome().toString());
        env.put("AS_JAVA", Layout.serverJavaHome().toString());
        return env;
    }

    /** {@code config/} of the domain (domain.xml, cacerts.p12, domain-passwords). */
    Path config() {
        return domainDir.resolve(NAME).resolve("config");
    }

    /** Starts the domain; returns when {@code start-domain} says it is up (bounded). */
    void start() throws IOException {
        long begin = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(killOnExit);
        asadmin("start-domain", List.of("start-domain", "--domaindir", domainDir.toString(), NAME));
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }

    /** Runs {@code asadmin <args>} against this domain; output in {@code <log>.log} of the work folder. */
    String asadmin(String log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(asadminPath().toString());
        command.addAll(args);
        return Commands.run(command, work, env(), work.resolve(log + ".log"), Duration.ofSeconds(300));
    }

    int adminPort() {
        return portBase + 48;
    }

    @Override
    public String description() {
        return "Payara Server " + System.getProperty("it.payara.server.version", "") + " (domain, port base " + portBase
                + ") on Java " + Layout.serverJavaVersion();
    }

    @Override
    public URI sampleApp() {
        return URI.create("http://127.0.0.1:" + (portBase + 80) + "/sample-app");
    }

    /** Every file of the domain's {@code logs/} folder (server.log and its rotations). */
    @Override
    public String log() {
        StringBuilder all = new StringBuilder();
        Path logs = logLocation();
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                files.filter(Files::isRegularFile).sorted().forEach(f -> all.append(Commands.read(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    @Override
    public Path logLocation() {
        return domainDir.resolve(NAME).resolve("logs");
    }

    @Override
    public long startupMillis() {
        return startMillis;
    }

    /** {@code stop-domain}; if that fails or leaves the JVM running, the domain's process is killed. */
    @Override
    public void close() {
        try {
            asadmin("stop-domain", List.of("stop-domain", "--domaindir", domainDir.toString(), NAME));
        } catch (IOException | RuntimeException e) {
            System.err.println("stop-domain: " + e.getMessage());
        } finally {
            kill();
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down (the hook runs) or never started
            }
        }
    }

    private void kill() {
        pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> p).join();
        });
    }

    private Optional<Long> pid() {
        Path file = config().resolve("pid");
        try {
            return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path asadminPath() {
        return home.resolve("bin/asadmin");
    }

    /**
     * A base (a multiple of 100 in 10000-31900, below the ephemeral range: support/Ports) whose ports base..base+99
     * can all be bound now.
     */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 100 * ThreadLocalRandom.current().nextInt(100, 320);
            boolean free = true;
            for (int port = base; port < base + 100 && free; port++) {
                try (ServerSocket socket = new ServerSocket(port)) {
                    socket.setReuseAddress(true);
                } catch (IOException inUse) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free block of 100 ports for a Payara domain");
    }
}
