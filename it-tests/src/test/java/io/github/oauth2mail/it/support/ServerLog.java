package io.github.oauth2mail.it.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on Payara's whole output that point at the log file instead of pasting megabytes into the report, and
 * that never print the secret they look for.
 */
public final class ServerLog {

    private ServerLog() {
    }

    /** Waits (bounded) until the server log contains every text. */
    public static void awaitMentions(PayaraMicro payara, String... texts) {
        await("server log " + payara.logFile() + " mentions " + List.of(texts)).atMost(Duration.ofSeconds(15))
                .until(() -> {
                    String log = payara.log();
                    for (String text : texts) {
                        if (!log.contains(text)) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** Fails, naming the secret and the lines (not the value), if any secret appears in the server log. */
    public static void assertNoSecret(PayaraMicro payara, Map<String, String> secretsByName) {
        String[] lines = payara.log().split("\n", -1);
        List<String> leaks = new ArrayList<>();
        secretsByName.forEach((name, secret) -> {
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(secret)) {
                    leaks.add(name + " in line " + (i + 1));
                }
            }
        });
        if (!leaks.isEmpty()) {
            throw new AssertionFailedError("secrets in the server log " + payara.logFile() + ": " + leaks);
        }
    }
}
