package io.github.oauth2mail.token;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs MSAL4J's work on the calling thread (the refresher's own fetch thread) instead of the JVM-wide
 * {@code ForkJoinPool.commonPool()}, which MSAL4J uses by default: no thread hop, no shared pool inside the server.
 * MSAL4J's HTTP connect/read timeouts bound each call.
 */
final class CallerRunsExecutor extends AbstractExecutorService {

    static final CallerRunsExecutor INSTANCE = new CallerRunsExecutor();

    private CallerRunsExecutor() {
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
        // shared and stateless: nothing to stop
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
