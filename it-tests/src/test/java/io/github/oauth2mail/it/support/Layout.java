package io.github.oauth2mail.it.support;

import io.github.oauth2mail.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Where a run finds its parts. Maven (failsafe, exec) passes the folders as system properties; the defaults fit a run
 * from {@code it-tests/} after {@code mvn package}.
 */
public final class Layout {

    private Layout() {
    }

    /** Payara Micro, the sample WAR and (once built) the connector .rar, copied by maven-dependency-plugin. */
    public static Path dist() {
        return Path.of(System.getProperty("it.dist", "target/dist")).toAbsolutePath();
    }

    /** {@code server-config/payara}: the post-boot files the tests and the demo use as they are. */
    public static Path payaraConfig() {
        return Path.of(System.getProperty("it.payara.config", "../server-config/payara")).toAbsolutePath().normalize();
    }

    /**
     * Scratch space for one run (certificates, logs, Payara's temp folder). Failsafe runs test classes in parallel JVMs
     * ({@code it.forks}); each JVM gets a folder of its own ({@code it.fork}, its fork number), so configured server
     * homes and certificates are never shared between JVMs.
     */
    public static Path work(String name) {
        Path root = Path.of(System.getProperty("it.work", "target/it-work"));
        String fork = System.getProperty("it.fork", "");
        if (fork.matches("fork-[0-9]+")) {
            root = root.resolve(fork);
        }
        Path dir = root.resolve(name).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * The one test certificate of this JVM: GreenMail keeps the first TLS key store it loads for the life of the JVM
     * (a static holder in its socket factory), so every GreenMail, token issuer and trust store of a run shares it.
     */
    public static TestCertificates certificates() {
        return TestCertificates.in(work("tls"), "localhost", "127.0.0.1");
    }

    /** The Payara Micro jar of this run: {@code it.payara.jar} (the failsafe execution's server row), else the pinned one. */
    public static Path payaraMicroJar() {
        String jar = System.getProperty("it.payara.jar");
        return jar == null || jar.isBlank() ? dist().resolve("payara-micro.jar") : Path.of(jar).toAbsolutePath();
    }

    /**
     * The JDK the application server processes run on: {@code it.server.java.home} (a failsafe execution runs the
     * newest servers on Java 25 this way; only the server process gets it, the test JVM and the build stay on theirs),
     * else the test JVM's own. A configured home that has no {@code bin/java} fails the run instead of falling back.
     */
    public static Path serverJavaHome() {
        String home = System.getProperty("it.server.java.home");
        Path path = Path.of(home == null || home.isBlank() ? System.getProperty("java.home") : home).toAbsolutePath();
        if (!Files.isExecutable(path.resolve("bin/java"))) {
            throw new IllegalStateException("it.server.java.home=" + path + " has no bin/java: install that JDK or "
                    + "pass -Dit.newest.java.home=<a JDK 21+ home>");
        }
        return path;
    }

    /** {@code JAVA_VERSION} of the server JDK's {@code release} file (e.g. 25.0.1), for test output and descriptions. */
    public static String serverJavaVersion() {
        Path release = serverJavaHome().resolve("release");
        try {
            return Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", "")).findFirst()
                    .orElse(System.getProperty("java.version"));
        } catch (IOException e) {
            return System.getProperty("java.version");
        }
    }

    public static Path sampleWar() {
        return dist().resolve("sample-app.war");
    }

    public static Path adapterRar() {
        return dist().resolve("oauth2-mail-adapter.rar");
    }

    /** True once the adapter .rar has been built with its deployment descriptor. */
    public static boolean adapterRarAvailable() {
        Path rar = adapterRar();
        if (!Files.isRegularFile(rar)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(rar.toFile())) {
            return zip.getEntry("META-INF/ra.xml") != null;
        } catch (IOException e) {
            return false;
        }
    }
}
