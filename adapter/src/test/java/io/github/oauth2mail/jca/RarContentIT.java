package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged .rar bundles the adapter classes, MSAL4J and the Nimbus SDK with their dependencies, and none of the
 * APIs the servers provide (Jakarta Mail, Angus Mail, Activation, Connectors, MicroProfile).
 */
class RarContentIT {

    private static List<String> entries() throws IOException {
        Path rar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            rar = files.filter(p -> p.getFileName().toString().endsWith(".rar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no .rar in target/"));
        }
        try (ZipFile zip = new ZipFile(rar.toFile())) {
            return zip.stream().map(ZipEntry::getName).collect(Collectors.toList());
        }
    }

    @Test
    void rar_contents_bundleAdapterAndMsalButNoServerApis() throws IOException {
        List<String> names = entries();
        assertThat(names).contains("META-INF/ra.xml");
        assertThat(names).anyMatch(n -> n.matches("oauth2-mail-adapter-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("msal4j-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("oauth2-oidc-sdk-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("nimbus-jose-jwt-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("slf4j-jdk14-.*\\.jar"));
        assertThat(names).noneMatch(n -> n.startsWith("jakarta.") || n.contains("angus") || n.contains("microprofile")
                || n.contains("jakartaee-api") || n.contains("javax.mail") || n.contains("javaee-api"));
    }
}
