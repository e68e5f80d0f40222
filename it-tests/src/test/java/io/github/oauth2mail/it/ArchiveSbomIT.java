package io.github.oauth2mail.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.oauth2mail.it.support.Layout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * What a scanner (or an admin with {@code unzip -p oauth2-mail-adapter.rar META-INF/sbom/bom.json}) reads from the
 * built archives: a CycloneDX SBOM that lists exactly the jars the archive bundles, each with the version the jar itself
 * says it is (its {@code META-INF/maven/.../pom.properties}), and no server-provided API.
 */
class ArchiveSbomIT {

    private static final String SBOM = "META-INF/sbom/bom.json";

    @Test
    void rar_sbom_listsEveryBundledJarWithTheVersionInsideIt() throws IOException {
        Path rar = Layout.adapterRar();
        try (ZipFile zip = new ZipFile(rar.toFile())) {
            JsonNode bom = sbom(zip);
            Set<String> listed = componentCoordinates(bom);
            Set<String> bundled = new TreeSet<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                String name = e.getName();
                if (name.endsWith(".jar") && !name.contains("/") && !name.startsWith("oauth2-mail-adapter-")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        bundled.add(coordinatesOf(name, in.readAllBytes(), bom));
                    }
                }
            }

            assertThat(bom.path("metadata").path("component").path("name").asText()).isEqualTo("oauth2-mail-adapter");
            assertThat(bundled).as("jars in " + rar).anyMatch(c -> c.startsWith("com.microsoft.azure:msal4j:"))
                    .anyMatch(c -> c.startsWith("com.nimbusds:oauth2-oidc-sdk:"))
                    .anyMatch(c -> c.startsWith("com.nimbusds:nimbus-jose-jwt:"));
            assertThat(listed).as("components of " + SBOM + " in " + rar).containsExactlyInAnyOrderElementsOf(bundled);
            assertThat(listed).noneMatch(c -> c.startsWith("jakarta.") || c.contains(":angus-")
                    || c.startsWith("org.eclipse.microprofile"));
        }
    }

    @Test
    void healthWar_sbom_describesTheWarAndListsEveryJarItBundles() throws IOException {
        Path war = Layout.dist().resolve("oauth2-mail-health.war");
        try (ZipFile zip = new ZipFile(war.toFile())) {
            JsonNode bom = sbom(zip);
            Set<String> bundled = new TreeSet<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        bundled.add(coordinatesOf(e.getName().substring("WEB-INF/lib/".length()), in.readAllBytes(), bom));
                    }
                }
            }

            assertThat(bom.path("metadata").path("component").path("name").asText()).isEqualTo("oauth2-mail-health");
            assertThat(componentCoordinates(bom)).containsExactlyInAnyOrderElementsOf(bundled);
        }
    }

    private static JsonNode sbom(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(SBOM);
        assertThat(entry).as(SBOM + " in " + zip.getName()).isNotNull();
        try (InputStream in = zip.getInputStream(entry)) {
            JsonNode bom = new ObjectMapper().readTree(in);
            assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
            return bom;
        }
    }

    /** {@code group:name:version} of every library component of the SBOM. */
    private static Set<String> componentCoordinates(JsonNode bom) {
        Set<String> coordinates = new TreeSet<>();
        for (JsonNode c : bom.path("components")) {
            coordinates.add(c.path("group").asText() + ":" + c.path("name").asText() + ":" + c.path("version").asText());
        }
        return coordinates;
    }

    /**
     * {@code groupId:artifactId:version} from the jar's own Maven metadata; a jar without it (ASM) is named by its file
     * name only, {@code <name>-<version>.jar}, which must then be a component of the SBOM with that name and version.
     */
    private static String coordinatesOf(String fileName, byte[] jar, JsonNode bom) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    p.load(in);
                    String artifactId = p.getProperty("artifactId");
                    // a shaded jar may carry the metadata of what it shades: take the one its file name is made of
                    if (artifactId != null && fileName.startsWith(artifactId + "-")) {
                        return p.getProperty("groupId") + ":" + artifactId + ":" + p.getProperty("version");
                    }
                }
            }
        }
        for (JsonNode c : bom.path("components")) {
            if (fileName.equals(c.path("name").asText() + "-" + c.path("version").asText() + ".jar")) {
                return c.path("group").asText() + ":" + c.path("name").asText() + ":" + c.path("version").asText();
            }
        }
        return "unlisted:" + fileName;
    }
}
