package io.github.oauth2mail.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of the docs that the tests run as written. A block is marked by an HTML comment on the line before
 * its fence, invisible on a rendered page:
 *
 * <pre>
 * &lt;!-- it: liberty-setup --&gt;
 * ```sh
 * "$WLP/bin/server" create mail
 * ```
 * </pre>
 *
 * {@link #block} returns the text between the fences, exactly as an admin copies it.
 */
public final class DocBlocks {

    private static final Pattern MARKER = Pattern.compile("^<!-- it: ([a-z0-9-]+) -->$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern EXPORT = Pattern.compile("(?:^|\\s)([A-Z][A-Z0-9_]*)=");

    private DocBlocks() {
    }

    /** {@code docs/<file>} of this checkout ({@code it.docs}, else {@code ../docs} from {@code it-tests/}). */
    public static Path doc(String file) {
        return Path.of(System.getProperty("it.docs", "../docs")).toAbsolutePath().normalize().resolve(file);
    }

    /** The text of the block marked {@code <!-- it: name -->} in {@code markdown}; fails unless there is exactly one. */
    public static String block(Path markdown, String name) {
        List<String> lines = read(markdown);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i).trim());
            if (m.matches() && m.group(1).equals(name)) {
                found.add(fenced(markdown, name, lines, i + 1));
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException(markdown + ": expected one block marked '<!-- it: " + name + " -->', found "
                    + found.size());
        }
        return found.get(0);
    }

    /** Every marker name in {@code markdown}, in order. */
    public static List<String> markers(Path markdown) {
        return read(markdown).stream().map(String::trim).map(MARKER::matcher).filter(Matcher::matches)
                .map(m -> m.group(1)).toList();
    }

    /** The shell variables a block reads ({@code $NAME} and {@code ${NAME}}), in order of first use. */
    public static Set<String> variablesRead(String block) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(block);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The upper-case variables a block assigns ({@code export A=.. B=..}, {@code A=..}), outside comments. */
    public static Set<String> variablesAssigned(String block) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : block.split("\n")) {
            int hash = line.indexOf(" #");
            String code = line.trim().startsWith("#") ? "" : hash < 0 ? line : line.substring(0, hash);
            Matcher m = EXPORT.matcher(code);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String fenced(Path markdown, String name, List<String> lines, int from) {
        if (from >= lines.size() || !lines.get(from).startsWith("```")) {
            throw new IllegalStateException(markdown + ": '<!-- it: " + name + " -->' is not followed by a ``` fence");
        }
        StringBuilder text = new StringBuilder();
        for (int i = from + 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                return text.toString();
            }
            text.append(lines.get(i)).append('\n');
        }
        throw new IllegalStateException(markdown + ": the block marked '" + name + "' has no closing fence");
    }

    private static List<String> read(Path markdown) {
        try {
            return Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
