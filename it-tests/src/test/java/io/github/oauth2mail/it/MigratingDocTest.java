package io.github.oauth2mail.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.DocBlocks;
import io.github.oauth2mail.it.support.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/migrating.md shows what the tests run: its Payara "before" block is the command of the checked-in
 * {@code post-boot-basic-auth.asadmin} that {@code SampleAppBasicAuthIT} runs, its "after" block is docs/payara.md's,
 * and README links the page.
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
    void readme_linksTheMigrationPage() throws IOException {
        assertThat(Files.readString(DocBlocks.doc("../README.md"))).contains("(docs/migrating.md)");
        assertThat(Files.readString(MIGRATING)).contains("## Running both during a migration")
                .contains("### Payara").contains("### WildFly").contains("### Open Liberty");
    }
}
