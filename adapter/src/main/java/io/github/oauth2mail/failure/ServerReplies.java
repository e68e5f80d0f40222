package io.github.oauth2mail.failure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a mail server's reply (never the adapter's own messages): the enhanced status after the reply code. */
public final class ServerReplies {

    /** {@code 432 4.3.2 text} or {@code 432-4.3.2 text}: the enhanced status right after the code (RFC 3463). */
    private static final Pattern ENHANCED = Pattern.compile("^[2-5]\\d\\d[ -]([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");

    private ServerReplies() {
    }

    /** The enhanced status of {@code reply} (e.g. {@code 4.3.2}), or null when it has none. */
    public static String enhancedStatus(String reply) {
        if (reply == null) {
            return null;
        }
        Matcher m = ENHANCED.matcher(reply);
        return m.find() ? m.group(1) : null;
    }
}
