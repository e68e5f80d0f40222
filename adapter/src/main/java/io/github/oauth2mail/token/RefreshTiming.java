package io.github.oauth2mail.token;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the refresher refreshes, retries and serves: the safety margin, the refresh-ahead point, the back-off after
 * failures and the invalidation rate limit. Pure functions, unit tested.
 *
 * @param maxMargin          a token is served only while more than {@code min(maxMargin, 10% of its lifetime)} remains
 * @param backoffBase        first retry delay after a transient failure
 * @param backoffCap         longest retry delay after transient failures
 * @param permanentBackoff   after a permanent failure no request is made for this long (unless invalidated)
 * @param invalidateInterval at most one invalidation-triggered fetch per cache entry within this interval
 * @param outageBackoffCap   longest retry delay after transient failures while no valid token is held (mail is
 *                           failing): once the identity provider is back, sends recover within about this long
 */
record RefreshTiming(Duration maxMargin, Duration backoffBase, Duration backoffCap, Duration permanentBackoff,
                     Duration invalidateInterval, Duration outageBackoffCap) {

    static final RefreshTiming DEFAULT = new RefreshTiming(Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(60));

    /** {@code min(maxMargin, lifetime / 10)}: 30 s for an hour-long token, 200 ms for a 2 s test token. */
    Duration margin(AccessToken t) {
        Duration tenth = t.lifetime().dividedBy(10);
        return tenth.compareTo(maxMargin) < 0 ? tenth : maxMargin;
    }

    /** Background refresh at half the lifetime. */
    Duration refreshAhead(AccessToken t) {
        return t.lifetime().dividedBy(2);
    }

    /**
     * Delay before retry number {@code failures} (1 = first retry): exponential from {@link #backoffBase}, capped at
     * {@link #backoffCap}, with jitter in [50%, 100%]; never shorter than {@code retryAfter}.
     */
    Duration backoff(int failures, Duration retryAfter) {
        return backoff(failures, retryAfter, false);
    }

    /**
     * The same; with {@code outage} (no valid token held) capped at {@link #outageBackoffCap} instead, but still never
     * shorter than {@code retryAfter}.
     */
    Duration backoff(int failures, Duration retryAfter, boolean outage) {
        int shift = Math.min(Math.max(failures - 1, 0), 20);
        long cap = outage ? Math.min(backoffCap.toMillis(), outageBackoffCap.toMillis()) : backoffCap.toMillis();
        long ms = Math.min(cap, backoffBase.toMillis() << shift);
        long jittered = ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
        Duration d = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(d) > 0 ? retryAfter : d;
    }
}
