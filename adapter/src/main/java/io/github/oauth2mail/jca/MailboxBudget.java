package io.github.oauth2mail.jca;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * How many SMTP connections this node may use at once for one mailbox: at most {@code max-connections-per-mailbox},
 * lowered when the server says the mailbox has too many sessions ({@code 432 4.3.2}) and raised again slowly after
 * sends succeed (additive increase, multiplicative decrease). Nodes that share a mailbox do not talk to each other;
 * each one backs off on the server's refusals, so together they settle near the server's limit.
 *
 * <p>Raising: by one, once at least {@link #RAISE_AFTER_SENDS} sends succeeded and {@link #RAISE_INTERVAL} passed
 * since the last change. Lowering: halved (not below 1), at most once per {@link #LOWER_INTERVAL} (the refusals of one
 * burst count once).
 */
final class MailboxBudget {

    static final int RAISE_AFTER_SENDS = 20;
    static final Duration RAISE_INTERVAL = Duration.ofSeconds(30);
    static final Duration LOWER_INTERVAL = Duration.ofSeconds(1);

    private final int max;
    private final Clock clock;
    private final IntConsumer onChange;
    private final ReentrantLock lock = new ReentrantLock(); // not fair: a send never parks behind a free slot
    private final Condition free = lock.newCondition();
    private volatile int limit;
    private int inUse;
    private int waiting;
    private int successes;
    private Instant changedAt;

    /** {@code onChange} gets the new limit, called outside the lock. */
    MailboxBudget(int max, Clock clock, IntConsumer onChange) {
        this.max = max;
        this.limit = max;
        this.clock = clock;
        this.onChange = onChange;
        this.changedAt = clock.instant().minus(LOWER_INTERVAL); // the first refusal may lower at once
    }

    /** Takes one slot, waiting at most {@code wait}; false when none became free in time. */
    boolean acquire(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lockInterruptibly();
        try {
            while (inUse >= limit) {
                if (nanos <= 0) {
                    return false;
                }
                waiting++;
                try {
                    nanos = free.awaitNanos(nanos);
                } finally {
                    waiting--;
                }
            }
            inUse++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            inUse--;
            if (waiting > 0) {
                free.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A send through this mailbox was accepted. */
    void succeeded() {
        if (limit == max) {
            return; // the common case: nothing to raise, no lock on the send path
        }
        int raised = -1;
        lock.lock();
        try {
            successes++;
            Instant now = clock.instant();
            if (limit < max && successes >= RAISE_AFTER_SENDS
                    && !now.isBefore(changedAt.plus(RAISE_INTERVAL))) {
                limit++;
                raised = limit;
                successes = 0;
                changedAt = now;
                free.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (raised > 0) {
            onChange.accept(raised);
        }
    }

    /** The server refused a session of this mailbox as one too many: halve the limit (not below 1). */
    void tooManySessions() {
        int lowered = -1;
        lock.lock();
        try {
            Instant now = clock.instant();
            if (limit > 1 && !now.isBefore(changedAt.plus(LOWER_INTERVAL))) {
                limit = Math.max(1, limit / 2);
                lowered = limit;
                successes = 0;
                changedAt = now;
            }
        } finally {
            lock.unlock();
        }
        if (lowered > 0) {
            onChange.accept(lowered);
        }
    }

    /** The current limit. */
    int limit() {
        return limit;
    }

    /** The most this budget ever allows ({@code max-connections-per-mailbox}). */
    int max() {
        return max;
    }

    /** Slots taken right now. */
    int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }
}
