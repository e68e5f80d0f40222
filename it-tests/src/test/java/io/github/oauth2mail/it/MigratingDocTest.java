package io.github.oauth2mail.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.DocBlocks;
import io.github.oauth2mail.it.support.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/migrating.md shows what the tests run: its Payara "before" block is the command of the checked-in
 * {@code post-boot-basic-auth.asadmin} that {@code SampleAppBasicAuthIT} runs, its "after" block is docs/payara.md's,
 * WildFly's switch to the connector on a running server adds back exactly the naming binding of
 * {@code oauth2-mail-connector.cli} (and switching back removes that one), and README links the page.
 */
class MigratingDocTest {

    private static final Path MIGRATING = DocBlocks.doc("migrating.md");

    @Test
    void payaraBefore_isTheBasicAuthPostBootFileThatSampleAppBasicAuthItRuns() throws IOException {
        String commands = String.join("\n", Files.readAllLines(Layout.payaraConfig().resolve("post-boot-basic-auth.asadmin"))
                .stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());

        assertThat(DocBlocks.block(MIGRATING, "payara-basic-auth").trim()).isEqualTo(commands);
    }

    @Test
    void payaraAfter_isThePostBootBlockOfThePayaraSetupPage() {
        assertThat(DocBlocks.block(MIGRATING, "payara-connector-after"))
                .isEqualTo(DocBlocks.block(DocBlocks.doc("payara.md"), "payara-post-boot"));
    }

    @Test
    void wildflySwitchRunning_addsBackTheNamingBindingOfTheConnectorScript() throws IOException {
        String script = Files.readString(Path.of(System.getProperty("it.server.config", "../server-config"),
                "wildfly", "oauth2-mail-connector.cli"));
        String binding = script.lines().filter(l -> l.startsWith("/subsystem=naming/binding=")).findFirst().orElseThrow()
                .replace("${oauth2mail.config-name}", "office365");

        assertThat(DocBlocks.block(MIGRATING, "wildfly-switch-running").lines()).contains(binding);
        assertThat(DocBlocks.block(MIGRATING, "wildfly-switch-back")).contains(
                binding.substring(0, binding.indexOf(":add(")) + ":remove");
    }

    @Test
    void payaraServerRunningBlocks_createTheBeforeBlocksResource_withThePasswordAsAnAlias() {
        String before = DocBlocks.block(MIGRATING, "payara-basic-auth").trim();
        String expected = before.substring(0, before.lastIndexOf(' '))
                .replace("mail-password=${ENV=MAIL_PASSWORD}", "mail-password=${ALIAS=mail-password}");
        for (String block : List.of("payara-both", "payara-switch-back", "payara-switch-running")) {
            List<String> creates = DocBlocks.block(MIGRATING, block).lines()
                    .filter(l -> l.startsWith("\"$ASADMIN\" create-javamail-resource ")).toList();
            assertThat(creates).as(block).hasSize(1);
            String create = creates.get(0);
            // shell quoting back to the post-boot file's form: "$X" -> ${ENV=X}, \${ALIAS=..} -> ${ALIAS=..}
            String asPostBoot = create.substring("\"$ASADMIN\" ".length(), create.lastIndexOf(' '))
                    .replaceAll("\\$([A-Z_]+)", "\\${ENV=$1}").replace("\\${ENV=", "${ENV=").replace("\"", "")
                    .replace("\\$", "$");
            assertThat(asPostBoot).as("%s creates the before block's resource", block).isEqualTo(expected);
        }
        assertThat(DocBlocks.block(MIGRATING, "payara-both")).contains("create-password-alias mail-password");
        assertThat(DocBlocks.block(MIGRATING, "payara-switch-running"))
                .contains("create-connector-resource --poolname oauth2-mail-office365-pool mail/office365\n");
    }

    @Test
    void payaraMicroBlocks_areTheBeforeAndAfterCommands_withOnlyTheJndiNamesMoved() {
        List<String> after = DocBlocks.block(MIGRATING, "payara-connector-after").lines().toList();
        String before = DocBlocks.block(MIGRATING, "payara-basic-auth").trim();
        String connectorOn = after.get(after.size() - 1);
        assertThat(connectorOn).endsWith(" mail/office365");
        assertThat(before).endsWith(" mail/office365");
        List<String> pool = after.subList(0, after.size() - 1);

        List<String> both = new ArrayList<>(pool);
        both.add(connectorOn);
        both.add(before + "-basic");
        List<String> switchBack = new ArrayList<>(pool);
        switchBack.add(connectorOn + "-oauth2");
        switchBack.add(before);

        assertThat(DocBlocks.block(MIGRATING, "payara-micro-both").lines()).containsExactlyElementsOf(both);
        assertThat(DocBlocks.block(MIGRATING, "payara-micro-switch-back").lines()).containsExactlyElementsOf(switchBack);
    }

    @Test
    void readme_linksTheMigrationPage() throws IOException {
        assertThat(Files.readString(DocBlocks.doc("../README.md"))).contains("(docs/migrating.md)");
        assertThat(Files.readString(MIGRATING)).contains("## Running both during a migration")
                .contains("### Payara").contains("### Payara Micro").contains("### WildFly").contains("### Open Liberty");
    }
}
