package io.github.oauth2mail.it.servers;

import io.github.oauth2mail.it.support.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Where the WildFly and Liberty runs find their parts; Maven passes the folders as system properties. */
final class ServerLayout {

    private ServerLayout() {
    }

    /** The unpacked {@code wildfly-dist} zip (never modified: every run works on a copy). */
    static Path wildflyDist() {
        return Path.of(System.getProperty("it.wildfly.dist", "target/servers/wildfly")).toAbsolutePath();
    }

    /** The unpacked {@code openliberty-runtime} zip's {@code wlp} folder (servers live in a user dir of their own). */
    static Path libertyDist() {
        return Path.of(System.getProperty("it.liberty.dist", "target/servers/liberty/wlp")).toAbsolutePath();
    }

    /** The version of the server row this failsafe execution runs ({@code it.payara.version} etc., set by the POM). */
    static String version(String property) {
        return System.getProperty(property, "(" + property + " not set)");
    }

    /** The server process's environment on top of {@code env}: {@code JAVA_HOME} of {@link Layout#serverJavaHome()}. */
    static Map<String, String> withJavaHome(Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("JAVA_HOME", Layout.serverJavaHome().toString());
        return all;
    }

    /** {@code server-config/}: the files the tests use as they are checked in. */
    static Path serverConfig() {
        return Path.of(System.getProperty("it.server.config", "../server-config")).toAbsolutePath().normalize();
    }

    static Path namingJar() {
        return Layout.dist().resolve("oauth2-mail-wildfly-naming.jar");
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                Path target = to.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The top-level jars of {@code archive} (a .rar: the adapter's classes and what it bundles), unpacked into {@code dir}. */
    static List<String> unpackJars(Path archive, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> jars = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.getName().endsWith(".jar") && !e.getName().contains("/")) {
                    Path jar = dir.resolve(e.getName());
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                    }
                    jars.add(jar.toString());
                }
            }
        }
        return jars;
    }

    static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
