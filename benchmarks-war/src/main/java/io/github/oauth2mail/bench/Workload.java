package io.github.oauth2mail.bench;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * What every path sends (one 2 KB text message to one recipient) and the shape of a path: per-thread {@link Sender}s,
 * measured by {@link Measure}. Shared by the benchmark client JVM and the benchmark WAR inside an application server.
 */
public final class Workload {

    public static final String FROM = "alice@example.com";
    public static final String TO = "rcpt@example.org";
    public static final String BODY = body(2048);

    private Workload() {
    }

    /** One sending thread's client: {@link #send} sends one 2 KB message. */
    public interface Sender extends AutoCloseable {
        void send() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Builds the per-thread senders of one path; {@link #close} releases what the threads shared (pools). */
    public interface Path extends AutoCloseable {
        Sender newSender() throws Exception;

        /**
         * One measurement of this path: {@code threads} senders, warm-up, {@code windows} windows. A path measured
         * elsewhere (inside an application server) overrides this.
         */
        default Measure.Result measure(int threads, double warmupSeconds, int windows, double windowSeconds,
                                       long sinkPid) throws Exception {
            return Measure.run(this, threads, warmupSeconds, windows, windowSeconds, sinkPid);
        }

        @Override
        default void close() throws Exception {
        }
    }

    public static MimeMessage message(Session session) throws MessagingException {
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(FROM));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(TO));
        msg.setSubject("benchmark message");
        msg.setText(BODY, "US-ASCII");
        return msg;
    }

    private static String body(int size) {
        StringBuilder b = new StringBuilder(size);
        String line = "The quick brown fox jumps over the lazy dog. 0123456789 abcdefghijklmnopqrstuv\r\n";
        while (b.length() + line.length() <= size) {
            b.append(line);
        }
        while (b.length() < size) {
            b.append('x');
        }
        return b.toString();
    }
}
