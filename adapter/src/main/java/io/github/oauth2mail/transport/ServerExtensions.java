package io.github.oauth2mail.transport;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What a server advertised in its EHLO reply (keywords upper-cased, with their parameters). */
final class ServerExtensions {

    private final Map<String, String> keywords;

    private ServerExtensions(Map<String, String> keywords) {
        this.keywords = keywords;
    }

    static ServerExtensions parse(SmtpReply ehlo) {
        Map<String, String> k = new LinkedHashMap<>();
        for (int i = 1; i < ehlo.lines().size(); i++) {
            String line = ehlo.text(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            // "AUTH PLAIN LOGIN" and the obsolete "AUTH=PLAIN LOGIN"
            int sep = indexOfAny(line, ' ', '=');
            String name = (sep < 0 ? line : line.substring(0, sep)).toUpperCase(Locale.ROOT);
            String params = sep < 0 ? "" : line.substring(sep + 1).trim();
            k.merge(name, params, (a, b) -> (a + " " + b).trim());
        }
        return new ServerExtensions(Collections.unmodifiableMap(k));
    }

    boolean has(String keyword) {
        return keywords.containsKey(keyword);
    }

    /** The SASL mechanisms of the AUTH keyword, upper-cased; empty when AUTH is not offered. */
    Set<String> authMechanisms() {
        Set<String> m = new LinkedHashSet<>();
        String p = keywords.get("AUTH");
        if (p != null) {
            for (String s : p.split("\\s+")) {
                if (!s.isEmpty()) {
                    m.add(s.toUpperCase(Locale.ROOT));
                }
            }
        }
        return m;
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }
}
