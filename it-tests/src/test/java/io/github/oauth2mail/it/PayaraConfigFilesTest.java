package io.github.oauth2mail.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Payara facts the checked-in server configuration depends on, checked without a server: the .rar is deployed
 * inside the post-boot file before the pool that names it, names line up, and no file carries a secret literal.
 */
class PayaraConfigFilesTest {

    private static final Pattern SECRET_LITERAL = Pattern.compile(
            "(?i)(password|secret)[a-z-]*=(?!\\$\\{)[^:\\s\"]+");

    @Test
    void postBootConnector_deploysTheRarBeforeThePoolThatNamesIt() throws IOException {
        List<String> commands = commands("post-boot-connector.asadmin");

        int deploy = indexOf(commands, "deploy --type rar --name oauth2-mail ");
        int pool = indexOf(commands, "create-connector-connection-pool --raname oauth2-mail ");
        int resource = indexOf(commands, "create-connector-resource ");
        assertThat(deploy).as("deploy inside the post-boot file: --deploy runs too late for the pool").isNotNegative();
        assertThat(pool).isGreaterThan(deploy);
        assertThat(resource).isGreaterThan(pool);
        String poolName = lastWord(commands.get(pool));
        assertThat(commands.get(resource)).contains("--poolname " + poolName + " ").endsWith(" mail/office365");
        assertThat(commands.get(pool)).contains("--connectiondefinition jakarta.mail.Session")
                .contains("--property ConfigName=demo");
    }

    @Test
    void postBootBasicAuth_createsAnOrdinaryMailResourceUnderTheSameJndiName() throws IOException {
        List<String> commands = commands("post-boot-basic-auth.asadmin");

        assertThat(commands).singleElement().asString().startsWith("create-javamail-resource ")
                .endsWith(" mail/office365").contains("mail-password=${ENV=MAIL_PASSWORD}");
    }

    @Test
    void serverConfigFiles_containNoSecretLiteral() throws IOException {
        try (var files = Files.list(Layout.payaraConfig())) {
            for (Path file : files.toList()) {
                for (String line : commands(file.getFileName().toString())) {
                    Matcher m = SECRET_LITERAL.matcher(line);
                    assertThat(m.find()).as("%s: secret literal in %s", file.getFileName(), line).isFalse();
                }
            }
        }
    }

    private static List<String> commands(String file) throws IOException {
        return Files.readAllLines(Layout.payaraConfig().resolve(file)).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static int indexOf(List<String> commands, String prefix) {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static String lastWord(String command) {
        return command.substring(command.lastIndexOf(' ') + 1);
    }
}
