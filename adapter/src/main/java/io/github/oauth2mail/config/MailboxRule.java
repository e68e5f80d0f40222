package io.github.oauth2mail.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which mailboxes a connector resource may authenticate as: {@code mailbox} and {@code allowed-mailboxes}, parsed
 * once. The single rule behind {@link ConnectorSettings#mailboxFor}, shared by SMTP, IMAP and POP3.
 */
final class MailboxRule {

    private static final Pattern MAILBOX = Pattern.compile("[^\\s@<>()\\[\\],;:\"\\\\]+@[^\\s@<>()\\[\\],;:\"\\\\]+");

    private final String mailbox;
    private final Set<String> allowed;
    /** Lower-cased name of every usable mailbox, to the configured spelling. */
    private final Map<String, String> byLowerCase;

    MailboxRule(String mailbox, List<String> allowed) {
        this.mailbox = mailbox;
        this.allowed = Collections.unmodifiableSet(new LinkedHashSet<>(allowed));
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : allowed) {
            m.putIfAbsent(a.toLowerCase(Locale.ROOT), a);
        }
        m.put(mailbox.toLowerCase(Locale.ROOT), mailbox);
        this.byLowerCase = Map.copyOf(m);
    }

    /** The entries of a comma-separated list, trimmed, without empty ones. */
    static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toList());
    }

    /** Whether {@code s} has the form of one mail address ({@code local@domain}, no white space or delimiters). */
    static boolean isMailbox(String s) {
        return s != null && MAILBOX.matcher(s).matches();
    }

    String mailbox() {
        return mailbox;
    }

    Set<String> allowed() {
        return allowed;
    }

    Optional<String> resolve(String user) {
        if (user == null || user.isBlank()) {
            return Optional.of(mailbox);
        }
        return Optional.ofNullable(byLowerCase.get(user.strip().toLowerCase(Locale.ROOT)));
    }
}
