package io.github.oauth2mail.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps README.md's configuration table in step with {@link Setting}. Run with {@code -DupdateReadme=true} to rewrite
 * the table from the code.
 */
class ReadmeSettingsTableTest {

    private static final String START = "<!-- settings-table:start -->";
    private static final String END = "<!-- settings-table:end -->";

    @Test
    void readme_settingsTable_matchesSettingEnum() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertThat(start).as("README.md has the settings-table markers").isPositive();
        String current = text.substring(start + START.length(), end);
        String expected = "\n" + table();
        if (Boolean.getBoolean("updateReadme") && !current.equals(expected)) {
            Files.writeString(readme, text.substring(0, start + START.length()) + expected + text.substring(end),
                    StandardCharsets.UTF_8);
            current = expected;
        }
        assertThat(current).as("README.md configuration table (regenerate with -DupdateReadme=true)").isEqualTo(expected);
    }

    static String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key (`oauth2mail.<name>.` …) | pool property | secret | default | meaning |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Setting s : Setting.values()) {
            sb.append("| `").append(s.key()).append("` | ")
                    .append(s.isSecret() ? "— (MicroProfile Config only)" : "`" + s.poolProperty() + "`").append(" | ")
                    .append(s.isSecret() ? "yes" : "").append(" | ")
                    .append(s.defaultValue() == null || s.defaultValue().isEmpty() ? "—" : "`" + s.defaultValue() + "`")
                    .append(" | ").append(s.description()).append(" |\n");
        }
        return sb.toString();
    }
}
