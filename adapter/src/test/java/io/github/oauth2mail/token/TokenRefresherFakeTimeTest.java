package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.MAILBOX;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Refresh-ahead, back-off, Retry-After, the permanent-error block, the invalidation rate limit and rotation in fake
 * time: a {@link FakeTime} clock and timer, fetches run on the thread that starts them. Deterministic; milliseconds.
 */
class TokenRefresherFakeTimeTest {

    private static final Duration HOUR = Duration.ofHours(1);

    final FakeTime time = new FakeTime();
    final ScriptedSource source = new ScriptedSource(time, "client-secret");
    final List<TokenEvent> events = new CopyOnWriteArrayList<>();
    TokenRefresher refresher;

    @AfterEach
    void close() {
        if (refresher != null) {
            refresher.close();
        }
    }

    private TokenRefresher refresher(List<TokenSource> sources, Map<String, String> extra) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(key("provider"), "oauth2");
        keys.put(key("token-endpoint"), "https://idp.example.com/token");
        keys.put(key("client-id"), TokenFixtures.CLIENT_ID);
        keys.put(key("client-secret"), TokenFixtures.SECRET);
        keys.put(key("scope"), "mail.send");
        keys.put(key("mailbox"), MAILBOX);
        keys.put(key("token-wait-ms"), "1000");
        keys.putAll(extra);
        ConnectorSettings s = ConnectorSettings.load(TokenFixtures.NAME, SettingsSource.of(keys), Map.of());
        refresher = new TokenRefresher(s, sources, RefreshTiming.DEFAULT, time, time, new DirectExecutor());
        refresher.addListener(events::add);
        return refresher;
    }

    private TokenRefresher refresher() {
        return refresher(List.of(source), Map.of());
    }

    private long count(TokenEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    @Test
    void token_halfLifeReached_refreshesAheadOnceCallersNeverWait() throws Exception {
        TokenRefresher r = refresher();
        AccessToken first = r.token(MAILBOX);

        time.advance(Duration.ofMinutes(30).minusMillis(1));
        assertThat(r.token(MAILBOX).sameValueAs(first)).isTrue();
        assertThat(source.requests()).hasSize(1);

        time.advance(Duration.ofMillis(1));
        AccessToken second = r.token(MAILBOX);

        assertThat(second.sameValueAs(first)).isFalse();
        assertThat(source.requests()).hasSize(2);
        assertThat(count(TokenEvent.Type.REFRESHED)).isEqualTo(1);
        assertThat(r.callersWaited()).isEqualTo(1);
        // and again at the new token's half-life
        time.advance(Duration.ofMinutes(30));
        assertThat(source.requests()).hasSize(3);
    }

    @Test
    void token_500CallersOverFourLifetimes_oneRequestPerHalfLifeNeverAnUnservableToken() throws Exception {
        TokenRefresher r = refresher();
        int callers = 500;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        Set<String> served = ConcurrentHashMap.newKeySet();
        AtomicInteger unservable = new AtomicInteger();
        try {
            Duration step = Duration.ofMinutes(5);
            int rounds = (int) (4 * HOUR.toMillis() / step.toMillis());
            for (int round = 0; round < rounds; round++) {
                Instant now = time.instant();
                List<Callable<Void>> calls = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    calls.add(() -> {
                        AccessToken t = r.token(MAILBOX);
                        if (!t.isValidAt(now, RefreshTiming.DEFAULT.margin(t))) {
                            unservable.incrementAndGet();
                        }
                        served.add(t.value());
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(calls, 30, TimeUnit.SECONDS)) {
                    f.get(); // a failed call fails the test
                }
                time.advance(step);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(unservable.get()).isZero();
        // one request at the start, then one per half-lifetime: 4 h / 30 min
        assertThat(source.requests()).hasSize(1 + 8);
        assertThat(served).isSubsetOf(source.issued());
        assertThat(r.callersWaited()).isLessThanOrEqualTo(callers);
    }

    @Test
    void token_serverErrorWhileTokenValid_servesCachedTokenRetriesWithBackoffAndRecovers() throws Exception {
        TokenRefresher r = refresher();
        AccessToken held = r.token(MAILBOX);
        source.fail(ScriptedSource.unavailable(null));

        time.advance(Duration.ofMinutes(30)); // refresh-ahead fails
        time.advance(Duration.ofMinutes(25)); // back-off retries, 1 s doubling to 5 min with jitter

        assertThat(r.token(MAILBOX).sameValueAs(held)).isTrue();
        assertThat(r.status().lastErrorCode()).isEqualTo("temporarily_unavailable");
        List<Instant> at = source.requests();
        assertThat(at.size()).as("back-off, not a retry storm").isBetween(8, 16);
        for (int i = 2; i < at.size(); i++) {
            assertThat(Duration.between(at.get(i - 1), at.get(i))).isLessThanOrEqualTo(Duration.ofMinutes(5));
        }

        source.issue(HOUR);
        time.advance(Duration.ofMinutes(5));
        AccessToken fresh = r.token(MAILBOX);
        assertThat(fresh.sameValueAs(held)).isFalse();
        assertThat(r.status().lastErrorCode()).isNull();
    }

    @Test
    void token_tokenAboutToExpireDuringOutage_retryNoLaterThanServingEnds() throws Exception {
        TokenRefresher r = refresher();
        r.token(MAILBOX);
        source.fail(ScriptedSource.unavailable(null));

        // refresh at 30 min fails; retries back off to 5 min, but none is scheduled past 59:30, when the held token
        // stops being served (10% margin, capped at 30 s)
        time.advance(Duration.ofMinutes(59).plusSeconds(30));

        assertThat(source.requests()).contains(Instant.parse("2030-01-01T00:59:30Z"));
        assertThat(source.requests()).allSatisfy(at -> assertThat(at).isBeforeOrEqualTo("2030-01-01T00:59:30Z"));
        source.issue(HOUR);
        time.advance(Duration.ofSeconds(60)); // no valid token: retries at most a minute apart
        assertThat(source.issued()).hasSize(2).last().isEqualTo(r.token(MAILBOX).value());
    }

    @Test
    void token_longOutageWithoutToken_retriesCappedAtOutageCapSoSendsRecoverWithinAMinute() throws Exception {
        TokenRefresher r = refresher();
        source.fail(ScriptedSource.unavailable(null));
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOf(TokenException.class);

        time.advance(Duration.ofMinutes(30));

        List<Instant> at = source.requests();
        for (int i = 1; i < at.size(); i++) {
            assertThat(Duration.between(at.get(i - 1), at.get(i))).isLessThanOrEqualTo(Duration.ofSeconds(60));
        }
        assertThat(at.size()).isGreaterThanOrEqualTo(30);
        source.issue(HOUR);
        time.advance(Duration.ofSeconds(60));
        assertThat(r.status().expiresAt()).isNotNull();
        assertThat(source.issued()).containsExactly(r.token(MAILBOX).value());
    }

    @Test
    void token_rateLimited_failsFastAndNoRequestBeforeRetryAfter() throws Exception {
        TokenRefresher r = refresher();
        source.fail(ScriptedSource.unavailable(Duration.ofSeconds(3)));
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOfSatisfying(TokenException.class,
                e -> assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT));
        source.issue(HOUR);

        // the retry is 3 s away, further than token-wait-ms (1 s): callers fail at once, no request
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> r.token(MAILBOX)).hasMessageContaining("next attempt at");
        }
        time.advance(Duration.ofMillis(2999));
        assertThat(source.requests()).hasSize(1);

        time.advance(Duration.ofMillis(1));
        assertThat(source.requests()).hasSize(2);
        assertThat(Duration.between(source.requests().get(0), source.requests().get(1))).isEqualTo(Duration.ofSeconds(3));
        r.token(MAILBOX);
        assertThat(source.requests()).hasSize(2);
    }

    @Test
    void token_callerWaitsForScheduledRetryWithinTokenWait_getsTheRetrysToken() throws Exception {
        TokenRefresher r = refresher();
        source.fail(ScriptedSource.unavailable(Duration.ofMillis(800)));
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOf(TokenException.class);
        source.issue(HOUR);

        // the retry is due within token-wait-ms: a caller joins it and gets its token when it runs
        CompletableFuture<AccessToken> caller = CompletableFuture.supplyAsync(() -> {
            try {
                return r.token(MAILBOX);
            } catch (TokenException e) {
                throw new IllegalStateException(e);
            }
        });
        time.advance(Duration.ofSeconds(1)); // Retry-After 800 ms, first back-off 0.5-1 s

        assertThat(source.issued()).containsExactly(caller.get(5, TimeUnit.SECONDS).value());
    }

    @Test
    void token_permanentFailure_noBackgroundRetryCallersFailFastNextCallerTriesAfterFiveMinutes() throws Exception {
        TokenRefresher r = refresher();
        source.fail(ScriptedSource.rejected("invalid_client"));

        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOfSatisfying(TokenException.class,
                    e -> assertThat(e.isPermanent()).isTrue());
        }
        time.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThatThrownBy(() -> r.token(MAILBOX)).hasMessageContaining("no new request before");
        assertThat(source.requests()).hasSize(1);
        assertThat(time.nextTask()).as("no background retry").isNull();
        TokenStatus s = r.status();
        assertThat(s.lastErrorPermanent()).isTrue();
        assertThat(s.healthyAt(time.instant())).isFalse();

        source.issue(HOUR);
        time.advance(Duration.ofMillis(1));
        AccessToken t = r.token(MAILBOX);
        assertThat(source.requests()).hasSize(2);
        assertThat(source.issued()).containsExactly(t.value());
    }

    @Test
    void retryNow_afterPermanentFailure_nextCallerAsksAtOnce() throws Exception {
        TokenRefresher r = refresher();
        source.fail(ScriptedSource.rejected("invalid_grant"));
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOf(TokenException.class);
        source.issue(HOUR);

        r.retryNow();

        assertThat(source.issued()).containsExactly(r.token(MAILBOX).value());
    }

    @Test
    void invalidate_rejectedAgainWithinFiveSeconds_noFetchAfterFiveSecondsOneFetch() throws Exception {
        TokenRefresher r = refresher();
        r.invalidate(MAILBOX, r.token(MAILBOX));
        AccessToken second = r.token(MAILBOX);

        time.advance(Duration.ofMillis(4999));
        r.invalidate(MAILBOX, second);
        assertThat(r.token(MAILBOX).sameValueAs(second)).isTrue();
        assertThat(source.requests()).hasSize(2);

        time.advance(Duration.ofMillis(1));
        r.invalidate(MAILBOX, second);
        assertThat(r.token(MAILBOX).sameValueAs(second)).isFalse();
        assertThat(source.requests()).hasSize(3);
        assertThat(count(TokenEvent.Type.INVALIDATED)).isEqualTo(2);
    }

    @Test
    void invalidate_duringPermanentBlock_asksAtOnce() throws Exception {
        TokenRefresher r = refresher();
        AccessToken held = r.token(MAILBOX);
        source.fail(ScriptedSource.rejected("invalid_grant"));
        time.advance(Duration.ofMinutes(30)); // refresh-ahead rejected: blocked for 5 minutes
        source.issue(HOUR);

        r.invalidate(MAILBOX, held);

        assertThat(r.token(MAILBOX).sameValueAs(held)).isFalse();
        assertThat(source.requests()).hasSize(3);
    }

    @Test
    void token_primaryRejectedDuringRefresh_switchesToSecondaryAndStaysThere() throws Exception {
        ScriptedSource secondary = new ScriptedSource(time, "secondary.client-secret");
        TokenRefresher r = refresher(List.of(source, secondary), Map.of());
        r.token(MAILBOX);
        source.fail(ScriptedSource.rejected("invalid_client"));

        time.advance(Duration.ofMinutes(30));

        assertThat(r.activeCredential()).isEqualTo("secondary.client-secret");
        assertThat(secondary.issued()).containsExactly(r.token(MAILBOX).value());
        assertThat(count(TokenEvent.Type.CREDENTIAL_SWITCHED)).isEqualTo(1);
        time.advance(Duration.ofMinutes(30));
        assertThat(source.requests()).hasSize(2);
        assertThat(secondary.requests()).hasSize(2);
    }

    @Test
    void close_withScheduledRefresh_noFurtherRequestsAndCallersRefused() throws Exception {
        TokenRefresher r = refresher();
        r.token(MAILBOX);

        r.close();
        time.advance(Duration.ofHours(2));

        assertThat(source.requests()).hasSize(1);
        assertThatThrownBy(() -> r.token(MAILBOX)).hasMessageContaining("OAM116");
    }

    /** Runs each fetch on the thread that starts it (the caller, or the test thread advancing the fake time). */
    static final class DirectExecutor extends AbstractExecutorService {

        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            if (shutdown) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            }
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
