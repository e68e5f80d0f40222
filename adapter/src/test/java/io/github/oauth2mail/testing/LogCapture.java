package io.github.oauth2mail.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Captures every record (formatted, with stack traces) logged under {@code io.github.oauth2mail} at FINEST. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.github.oauth2mail");
    private final Level previous;
    private final List<String> lines = new ArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    public LogCapture() {
        previous = logger.getLevel();
        setLevel(Level.ALL);
        logger.setLevel(Level.FINEST);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        StringWriter w = new StringWriter();
        w.append(formatter.format(r));
        if (r.getThrown() != null) {
            r.getThrown().printStackTrace(new PrintWriter(w));
        }
        lines.add(w.toString());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String all() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }
}
