package io.github.oauth2mail.token;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * When the refresher's refresh-ahead and retry timers fire. A timer task only hands a fetch to the fetch executor, so
 * a slow identity provider never delays a timer, and a timer never delays a caller's fetch. A seam: tests run the
 * timers in fake time.
 */
interface TokenTimer {

    /** A scheduled task that has not run yet. */
    interface Task {
        void cancel();
    }

    /**
     * Runs {@code task} after {@code delay}.
     *
     * @throws RejectedExecutionException after {@link #close()}
     */
    Task schedule(Runnable task, Duration delay);

    /** Drops every pending task and stops the timer's thread. */
    void close();

    /** One daemon thread named after the resource. */
    static TokenTimer daemon(String resource) {
        ScheduledThreadPoolExecutor stpe =
                new ScheduledThreadPoolExecutor(1, RefresherThreads.named(resource + "-timer"));
        stpe.setRemoveOnCancelPolicy(true);
        stpe.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return new TokenTimer() {
            @Override
            public Task schedule(Runnable task, Duration delay) {
                ScheduledFuture<?> f = stpe.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void close() {
                stpe.shutdownNow();
            }
        };
    }
}
