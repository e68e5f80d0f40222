package io.github.oauth2mail.token;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The cached token of one cache key (the resource, or one mailbox for per-mailbox sources) and the state of its
 * single in-flight fetch. Fields other than {@link #current} are guarded by the slot's monitor.
 */
final class Slot {

    /** The mailbox for per-mailbox sources; for shared sources the mailbox of the first caller (unused by them). */
    final String mailbox;
    /** The token served without locking while valid. */
    volatile AccessToken current;
    /** True after the current token was reported as rejected: it is not served any more. */
    volatile boolean invalidated;
    /** The single fetch in flight or scheduled (retry); callers wanting a token join it. */
    CompletableFuture<AccessToken> pending;
    /** When {@link #pending} is a scheduled retry: when it starts. */
    Instant pendingStartsAt;
    /** The scheduled refresh-ahead or retry. */
    TokenTimer.Task timer;
    /** No request before this (permanent back-off). */
    Instant blockedUntil = Instant.EPOCH;
    /** Consecutive failures. */
    int failures;
    /** The last failure, cleared by a success. */
    TokenException lastError;
    /** When an invalidation last caused a fetch. */
    Instant lastInvalidation = Instant.EPOCH;

    Slot(String mailbox) {
        this.mailbox = mailbox;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
