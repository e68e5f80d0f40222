package io.github.oauth2mail.it.servers;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/** Server-log assertions that point at the log instead of pasting it, and never print the secret looked for. */
public final class Logs {

    private Logs() {
    }

    /** Waits (bounded) until the server's log contains every text. */
    static void awaitMentions(AppServer server, String... texts) {
        await("log " + server.logLocation() + " mentions " + List.of(texts)).atMost(Duration.ofSeconds(30))
                .until(() -> {
                    String log = server.log();
                    for (String text : texts) {
                        if (!log.contains(text)) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** Fails, naming the secret and the lines (not the value), if any secret appears in the server's log. */
    public static void assertNoSecret(AppServer server, Map<String, String> secretsByName) {
        String[] lines = server.log().split("\n", -1);
        List<String> leaks = new ArrayList<>();
        secretsByName.forEach((name, secret) -> {
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(secret)) {
                    leaks.add(name + " in line " + (i + 1));
                }
            }
        });
        if (!leaks.isEmpty()) {
            throw new AssertionFailedError("secrets in the log " + server.logLocation() + ": " + leaks);
        }
    }
}
