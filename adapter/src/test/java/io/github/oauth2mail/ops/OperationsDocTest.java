package io.github.oauth2mail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
                ids.addAll(idsIn(Files.readString(f)));
            }
        }
        String doc = Files.readString(README) + Files.readString(DOC);
        assertThat(ids).as("IDs found in the code").contains("OAM001", "OAM112", "OAM202", "OAM403", "OAM430");
        assertThat(ids).allSatisfy(id -> assertThat(doc).as("README.md + docs/operations.md").contains(id)
                .as(id + " documented in README.md (troubleshooting) or docs/operations.md"));
    }

    @Test
    void messageIdEnum_everyConstantInReadme_andEveryReadmeIdAConstant() throws IOException {
        Set<String> inReadme = idsIn(Files.readString(README));
        Set<String> inEnum = Arrays.stream(MessageId.values()).map(MessageId::id).collect(Collectors.toCollection(TreeSet::new));
        assertThat(inReadme).as("IDs in README.md without a MessageId constant").isSubsetOf(inEnum);
        assertThat(inEnum).as("MessageId constants missing from README.md's operations table").isSubsetOf(inReadme);
    }

    @Test
    void messageIdEnum_everyIdInTheCode_isAConstant() throws IOException {
        Set<String> inEnum = Arrays.stream(MessageId.values()).map(MessageId::id).collect(Collectors.toSet());
        Set<String> inCode = new TreeSet<>();
        for (Path root : new Path[] {Path.of("src", "main", "java"), Path.of("..", "wildfly-naming", "src", "main"),
                Path.of("..", "health-war", "src", "main")}) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    inCode.addAll(idsIn(Files.readString(f)));
                }
            }
        }
        assertThat(inCode).as("IDs printed by the code without a MessageId constant").isSubsetOf(inEnum);
    }

    private static Set<String> idsIn(String text) {
        Set<String> ids = new TreeSet<>();
        Matcher m = ID.matcher(text);
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }
}
