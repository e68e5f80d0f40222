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

    /** Scratch space for one run (certificates, logs, Payara's temp folder). */
    public static Path work(String name) {
        Path dir = Path.of(System.getProperty("it.work", "target/it-work"), name).toAbsolutePath();
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

    public static Path payaraMicroJar() {
        return dist().resolve("payara-micro.jar");
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
