package io.github.oauth2mail.transport;

import java.util.List;

/** One (possibly multi-line) SMTP reply: a three-digit code and its text lines. */
final class SmtpReply {

    private final int code;
    private final List<String> lines;

    SmtpReply(int code, List<String> lines) {
        this.code = code;
        this.lines = List.copyOf(lines);
    }

    int code() {
        return code;
    }

    /** The raw lines, e.g. {@code 250-SIZE 35882577}. */
    List<String> lines() {
        return lines;
    }

    /** The text after the code on each line (the EHLO keywords, or a 334 challenge). */
    String text(int line) {
        String l = lines.get(line);
        return l.length() > 4 ? l.substring(4) : "";
    }

    boolean isTemporary() {
        return code >= 400 && code < 500;
    }

    /** The reply as the server sent it, lines joined by a space: {@code 535 5.7.3 Authentication unsuccessful}. */
    @Override
    public String toString() {
        return String.join(" ", lines);
    }
}
