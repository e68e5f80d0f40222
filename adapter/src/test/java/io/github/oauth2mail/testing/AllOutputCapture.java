package io.github.oauth2mail.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything a server log could show: every {@code java.util.logging} record at FINEST (root logger and the given
 * loggers set to FINEST; formatted with parameters and stack traces) and everything written to System.out and
 * System.err (where Jakarta Mail's {@code mail.debug} output goes). The root logger's console handlers are detached
 * while capturing, so the streams hold only direct writes. Restores everything on {@link #close()}.
 */
public final class AllOutputCapture extends Handler implements AutoCloseable {

    private final Logger root = LogManager.getLogManager().getLogger("");
    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> previousLevels = new ArrayList<>();
    private final Handler[] rootHandlers;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream streams = new ByteArrayOutputStream();
    private final List<String> records = new ArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    public AllOutputCapture(String... loggerNames) {
        setLevel(Level.ALL);
        rootHandlers = root.getHandlers();
        for (Handler h : rootHandlers) {
            root.removeHandler(h);
        }
        loggers.add(root);
        for (String n : loggerNames) {
            loggers.add(Logger.getLogger(n));
        }
        for (Logger l : loggers) {
            previousLevels.add(l.getLevel());
            l.setLevel(Level.FINEST);
        }
        root.addHandler(this);
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (streams) {
                    streams.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (streams) {
                    streams.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        System.setErr(tee);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        StringWriter w = new StringWriter();
        w.append(r.getLoggerName()).append(' ').append(formatter.format(r));
        if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
                w.append(" param=").append(String.valueOf(p));
            }
        }
        if (r.getThrown() != null) {
            r.getThrown().printStackTrace(new PrintWriter(w));
        }
        records.add(w.toString());
    }

    /** Formatted log records whose logger name does not start with any of {@code excludedPrefixes}. */
    public synchronized List<String> records(String... excludedPrefixes) {
        List<String> l = new ArrayList<>();
        outer:
        for (String r : records) {
            for (String p : excludedPrefixes) {
                if (r.startsWith(p)) {
                    continue outer;
                }
            }
            l.add(r);
        }
        return l;
    }

    /** What was written to System.out and System.err. */
    public String streams() {
        synchronized (streams) {
            return streams.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        root.removeHandler(this);
        for (Handler h : rootHandlers) {
            root.addHandler(h);
        }
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).setLevel(previousLevels.get(i));
        }
    }
}
