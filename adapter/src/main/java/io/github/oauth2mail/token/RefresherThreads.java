package io.github.oauth2mail.token;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon threads of one refresher: its timer and the executor its token fetches run on. */
final class RefresherThreads {

    /**
     * Token fetches that may run at once per resource. Each fetch is bounded by the connect and read timeouts, and
     * there is at most one per cache entry (one per resource, or one per mailbox for per-mailbox sources).
     */
    static final int FETCH_THREADS = 8;

    private RefresherThreads() {
    }

    /**
     * The fetch executor: up to {@link #FETCH_THREADS} threads that end when idle; further fetches (per-mailbox
     * sources only) wait for a free thread, never for a timer.
     */
    static ExecutorService fetches(String resource) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(FETCH_THREADS, FETCH_THREADS, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named(resource));
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Daemon threads {@code oauth2mail-token-<resource>-<n>}. */
    static ThreadFactory named(String resource) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "oauth2mail-token-" + resource + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
