package io.github.oauth2mail.it.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.payara.PayaraServerBlocks;
import io.github.oauth2mail.it.support.DocBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The doc blocks the ITs run ({@link DocSetup}), checked without a server: every block is there, reads only the
 * placeholders the doc lists (and the tests provide), and both settings examples use only keys of README's settings
 * table, so the Entra example, which no test can run without a tenant, differs from the tested one only in keys.
 */
class DocSetupBlocksTest {

    private static final Path SERVERS = DocBlocks.doc(DocSetup.DOC);
    private static final String PREFIX = "OAUTH2MAIL_OFFICE365_";

    @Test
    void entraExample_everyKeyIsInTheReadmeSettingsTable() throws IOException {
        Set<String> keys = keys(DocBlocks.block(SERVERS, "entra-settings"));

        assertThat(keys).isNotEmpty().contains("TENANT_ID", "CLIENT_ID", "CLIENT_SECRET", "MAILBOX");
        assertThat(readmeKeys()).containsAll(keys);
    }

    @Test
    void oauth2Example_everyKeyIsInTheReadmeSettingsTable() throws IOException {
        Set<String> keys = keys(DocBlocks.block(SERVERS, "oauth2-settings"));

        assertThat(keys).contains("PROVIDER", "TOKEN_ENDPOINT", "CLIENT_ID", "CLIENT_SECRET", "MAILBOX", "SMTP_HOST");
        assertThat(readmeKeys()).containsAll(keys);
    }

    @Test
    void setupBlocks_readOnlyTheDocumentedPlaceholders_andTheTestsProvideEachOne() {
        Set<String> documented = DocBlocks.variablesAssigned(DocBlocks.block(SERVERS, "placeholders"));
        Set<String> provided = new LinkedHashSet<>();
        Map<String, String> demo = new HashMap<>();
        for (DocSetup.Kind kind : DocSetup.Kind.values()) {
            provided.addAll(DocSetup.placeholders(kind, Path.of("/server"), demo).keySet());
        }
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("oauth2-settings", DocBlocks.block(SERVERS, "oauth2-settings"));
        for (DocSetup.Kind kind : DocSetup.Kind.values()) {
            kind.blocks().forEach(b -> blocks.put(b, DocBlocks.block(kind.doc(), b)));
        }
        blocks.put("payara-post-boot", DocBlocks.block(DocSetup.Kind.PAYARA.doc(), "payara-post-boot")
                .replace("${ENV=", "${"));
        blocks.forEach((block, text) -> {
            Set<String> read = DocBlocks.variablesRead(text);
            assertThat(documented).as("placeholders block lists what %s reads", block).containsAll(read);
            assertThat(provided).as("the ITs set what %s reads", block).containsAll(read);
        });
        assertThat(provided).as("every documented placeholder is exercised").containsAll(documented);
    }

    @Test
    void migratingBlocks_readOnlyTheDocumentedPlaceholders_andTheTestsProvideEachOne() {
        Set<String> documented = new LinkedHashSet<>(DocBlocks.variablesAssigned(DocBlocks.block(SERVERS, "placeholders")));
        documented.addAll(BasicAuthDocScenarios.MAIL_PLACEHOLDERS);
        for (DocSetup.Kind kind : List.of(DocSetup.Kind.WILDFLY, DocSetup.Kind.LIBERTY)) {
            Map<String, String> demo = new HashMap<>();
            Set<String> provided = BasicAuthDocScenarios.placeholders(kind, Path.of("/server"), demo).keySet();
            for (String what : BasicAuthDocScenarios.BLOCKS) {
                String block = BasicAuthDocScenarios.block(kind, what);
                // WildFly expressions (${env.NAME}) read the server's environment; Liberty's own port variable is no placeholder
                String text = DocBlocks.block(BasicAuthDocScenarios.MIGRATING, block).replace("${env.", "${")
                        .replace("${default.http.port}", "");
                Set<String> read = DocBlocks.variablesRead(text);
                assertThat(read).as("%s reads placeholders", block).isNotEmpty();
                assertThat(documented).as("servers.md's placeholders or the page's MAIL_* list what %s reads", block)
                        .containsAll(read);
                assertThat(provided).as("the ITs set what %s reads", block).containsAll(read);
            }
        }
    }

    @Test
    void payaraServerBlocks_readOnlyTheDocumentedPlaceholders_andTheTestsProvideEachOne() throws IOException {
        Set<String> documented = new LinkedHashSet<>(DocBlocks.variablesAssigned(DocBlocks.block(SERVERS, "placeholders")));
        documented.addAll(BasicAuthDocScenarios.MAIL_PLACEHOLDERS);
        documented.add("ASADMIN"); // docs/payara.md and docs/migrating.md: the domain's bin/asadmin
        Set<String> provided = PayaraServerBlocks.placeholders(Path.of("/payara6/bin/asadmin"), new HashMap<>()).keySet();
        List<String> blocks = new ArrayList<>(List.of(PayaraServerBlocks.DOMAIN));
        blocks.addAll(PayaraServerBlocks.RUNNING);
        for (String block : blocks) {
            // ${ALIAS=name} is Payara's reference to a password alias, written into the resource as it is
            String text = DocBlocks.block(PayaraServerBlocks.docOf(block), block).replace("\\${ALIAS=", "");
            Set<String> read = DocBlocks.variablesRead(text);
            assertThat(read).as("%s reads placeholders", block).contains("ASADMIN");
            assertThat(documented).as("the placeholders documented for %s", block).containsAll(read);
            assertThat(PayaraServerBlocks.PLACEHOLDERS).as("PayaraServerBlocks lists what %s reads", block)
                    .containsAll(read);
            assertThat(provided).as("the IT sets what %s reads", block).containsAll(read);
        }
        String script = Files.readString(Path.of(System.getProperty("it.server.config", "../server-config"), "payara",
                "payara-server-domain.sh"));
        String header = script.substring(script.indexOf("# Variables"), script.indexOf("set -euo pipefail"));
        assertThat(DocBlocks.variablesAssigned(DocBlocks.block(PayaraServerBlocks.payaraDoc(), PayaraServerBlocks.DOMAIN)))
                .as("the script's header documents each variable the block sets").isNotEmpty()
                .allMatch(v -> Pattern.compile("(?<![A-Z_])" + v + "[ ,]").matcher(header).find(),
                        "named in the header");
    }

    /** The settings keys an example block sets: {@code OAUTH2MAIL_OFFICE365_SMTP_HOST} gives {@code SMTP_HOST}. */
    private static Set<String> keys(String block) {
        Set<String> assigned = DocBlocks.variablesAssigned(block);
        assertThat(assigned).as("an example sets only the resource's keys").allMatch(v -> v.startsWith(PREFIX));
        return assigned.stream().map(v -> v.substring(PREFIX.length())).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** README's settings table, each key as its environment variable suffix ({@code smtp.host} -> {@code SMTP_HOST}). */
    private static Set<String> readmeKeys() throws IOException {
        String readme = Files.readString(DocBlocks.doc("../README.md"));
        String table = readme.substring(readme.indexOf("<!-- settings-table:start -->"),
                readme.indexOf("<!-- settings-table:end -->"));
        return table.lines().filter(l -> l.startsWith("| `")).map(l -> l.substring(3, l.indexOf('`', 3)))
                .map(k -> k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')).collect(Collectors.toSet());
    }
}
