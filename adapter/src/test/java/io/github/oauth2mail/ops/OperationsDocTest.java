package io.github.oauth2mail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The operations guide keeps up with the code: every message ID the adapter can print is explained there. */
class OperationsDocTest {

    /** The troubleshooting table is in the README; the operations guide explains audit and diagnostic output. */
    static final Path README = Path.of("..", "README.md");
    static final Path DOC = Path.of("..", "docs", "operations.md");
    static final Pattern ID = Pattern.compile("OAM\\d{3}");

    @Test
    void operationsGuide_everyMessageIdInTheCode_isExplained() throws IOException {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = ID.matcher(Files.readString(f));
                while (m.find()) {
                    ids.add(m.group());
                }
            }
        }
        String doc = Files.readString(README) + Files.readString(DOC);
        assertThat(ids).as("IDs found in the code").contains("OAM001", "OAM112", "OAM202", "OAM403", "OAM430");
        assertThat(ids).allSatisfy(id -> assertThat(doc).as("README.md + docs/operations.md").contains(id)
                .as(id + " documented in README.md (troubleshooting) or docs/operations.md"));
    }
}
