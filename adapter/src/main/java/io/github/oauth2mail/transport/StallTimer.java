package io.github.oauth2mail.transport;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timer for {@link MessageData}'s stall watchdogs: one daemon thread {@code oauth2mail-data-watchdog-<n>}, started
 * on demand and ended {@value #IDLE_SECONDS} s after the last watchdog is cancelled, so nothing of the adapter stays
 * running after an undeploy. Not the JDK's shared {@code CompletableFuture} delay scheduler: that thread lives as long
 * as the JVM and keeps the class loader of whichever code first started it (its inherited access-control context and
 * context class loader), which pinned an undeployed adapter's loader.
 */
final class StallTimer {

    static final int IDLE_SECONDS = 5;

    private static final ScheduledThreadPoolExecutor TIMER = create();

    private StallTimer() {
    }

    /** Runs {@code task} once after {@code nanos}; cancelling the returned future removes it at once. */
    static ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return TIMER.schedule(task, Math.max(1, nanos), TimeUnit.NANOSECONDS);
    }

    /** Watchdogs waiting (for tests). */
    static int pending() {
        return TIMER.getQueue().size();
    }

    private static ScheduledThreadPoolExecutor create() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "oauth2mail-data-watchdog-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(ClassLoader.getPlatformClassLoader()); // not the sending application's
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }
}
