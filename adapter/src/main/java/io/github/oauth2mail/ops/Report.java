package io.github.oauth2mail.ops;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The diagnostic command's output: one line per step with its verdict, then details and the fix for failures. */
final class Report {

    private static final String INDENT = "       ";

    private final PrintStream out;
    private final List<String> failed = new ArrayList<>();

    Report(PrintStream out) {
        this.out = out;
    }

    void line(String text) {
        out.println(text);
    }

    void ok(String step, String detail) {
        out.println("[ OK ] " + step + (detail == null ? "" : ": " + detail));
    }

    void skip(String step, String why) {
        out.println("[SKIP] " + step + ": " + why);
    }

    /** A failed step: its message, the code to search for and the fix (each may be null). */
    void fail(String step, String message, String code, String correlationId, String fix) {
        failed.add(step);
        out.println("[FAIL] " + step + (message == null ? "" : ": " + message));
        if (code != null) {
            out.println(INDENT + "Code: " + code + (correlationId == null ? "" : " (correlation id " + correlationId + ")"));
        }
        if (fix != null) {
            out.println(INDENT + "Fix: " + fix);
        }
    }

    void detail(String text) {
        out.println(INDENT + text);
    }

    boolean passed() {
        return failed.isEmpty();
    }

    /** Prints the verdict; returns the exit code (0 only when every step passed). */
    int finish(int failureCode) {
        if (failed.isEmpty()) {
            out.println("OAM421 RESULT: OK, every check passed");
            return 0;
        }
        out.println("OAM422 RESULT: FAILED (" + String.join(", ", failed) + ")");
        return failureCode;
    }
}
