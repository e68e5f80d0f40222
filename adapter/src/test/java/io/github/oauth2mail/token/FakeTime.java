package io.github.oauth2mail.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A clock and a refresher timer in fake time: nothing happens until {@link #advance}, which runs the due timer tasks
 * in time order on the calling thread, with the clock set to each task's time.
 */
final class FakeTime extends Clock implements TokenTimer {

    private record Entry(Instant at, long seq, Runnable task) {
    }

    private final PriorityQueue<Entry> tasks = new PriorityQueue<>((a, b) -> a.at.equals(b.at)
            ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private Instant now;
    private long seq;
    private boolean closed;

    FakeTime() {
        this(Instant.parse("2030-01-01T00:00:00Z"));
    }

    /** Starting at {@code start} (e.g. the real time, for tokens from a real issuer whose expiry is real time). */
    FakeTime(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public synchronized Task schedule(Runnable task, Duration delay) {
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("closed");
        }
        Entry e = new Entry(now.plus(delay), seq++, task);
        tasks.add(e);
        return () -> {
            synchronized (FakeTime.this) {
                tasks.remove(e);
            }
        };
    }

    @Override
    public synchronized void close() {
        closed = true;
        tasks.clear();
    }

    /** Moves the clock forward by {@code d}, running every task that falls due on the way. */
    void advance(Duration d) {
        Instant target;
        synchronized (this) {
            target = now.plus(d);
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at.isAfter(target)) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.at;
            }
            next.task.run();
        }
    }

    /** How long until the next timer task, or null when none is scheduled. */
    synchronized Duration nextTask() {
        Entry next = tasks.peek();
        return next == null ? null : Duration.between(now, next.at);
    }
}
