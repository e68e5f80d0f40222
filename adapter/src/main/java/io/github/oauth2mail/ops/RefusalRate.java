package io.github.oauth2mail.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Permanent refusals (5xx replies to a send) per mailbox: a total, and how many fell in the last
 * {@link #WINDOW}. Exchange Online blocks a mailbox from SMTP AUTH for a while after repeated errors from one app
 * ({@code 550 5.2.251}-{@code 5.2.255}); {@link #rising} tells health about it before that happens.
 */
final class RefusalRate {

    static final Duration WINDOW = Duration.ofMinutes(10);
    static final int RISING_AT = 10;

    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();

    /** One mailbox's refusals: the total and the times in the window (at most {@link #RISING_AT} kept). */
    private static final class Mailbox {
        final LongAdder total = new LongAdder();
        final Deque<Instant> recent = new ArrayDeque<>();
        volatile String lastCode;
    }

    /** What health reports while refusals are rising. */
    record Rising(String mailbox, int inWindow, String lastCode) {
    }

    void record(String mailbox, String code, Instant now) {
        Mailbox m = mailboxes.computeIfAbsent(mailbox.toLowerCase(java.util.Locale.ROOT), k -> new Mailbox());
        m.total.increment();
        m.lastCode = code;
        synchronized (m) {
            m.recent.addLast(now);
            while (m.recent.size() > RISING_AT) {
                m.recent.removeFirst();
            }
        }
    }

    /** The mailbox with at least {@link #RISING_AT} refusals in the last {@link #WINDOW}, or null. */
    Rising rising(Instant now) {
        Instant since = now.minus(WINDOW);
        for (Map.Entry<String, Mailbox> e : mailboxes.entrySet()) {
            Mailbox m = e.getValue();
            int n;
            synchronized (m) {
                n = (int) m.recent.stream().filter(t -> t.isAfter(since)).count();
            }
            if (n >= RISING_AT) {
                return new Rising(e.getKey(), n, m.lastCode);
            }
        }
        return null;
    }

    /** Total refusals per mailbox since start, sorted by mailbox. */
    Map<String, Long> totals() {
        Map<String, Long> t = new TreeMap<>();
        mailboxes.forEach((k, v) -> t.put(k, v.total.sum()));
        return t;
    }
}
