package io.github.oauth2mail.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.oauth2mail.token.TokenFixtures.MAILBOX;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.testing.TestTokenIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refresher in front of real sources and the local HTTPS issuer. */
class TokenRefresherTest {

    @TempDir
    static Path dir;
    static TestTokenIssuer shared;
    TestTokenIssuer issuer;
    TokenRefresher refresher;
    final List<TokenEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startShared() {
        shared = TestTokenIssuer.start(dir);
    }

    @AfterAll
    static void stopShared() {
        shared.close();
    }

    @BeforeEach
    void start() {
        issuer = shared;
        issuer.resetRequests();
    }

    @AfterEach
    void stop() {
        if (refresher != null) {
            refresher.close();
        }
        if (issuer != shared) {
            issuer.close();
        }
    }

    private TokenRefresher refresher(Map<String, String> keys, RefreshTiming timing) {
        refresher = TokenFixtures.refresher(keys, timing);
        refresher.addListener(events::add);
        return refresher;
    }

    private long count(TokenEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    @Test
    void token_validTokenCached_noSecondRequest() throws Exception {
        issuer.stubToken(3600);
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), RefreshTiming.DEFAULT);

        AccessToken first = r.token(MAILBOX);
        for (int i = 0; i < 100; i++) {
            assertThat(r.token(MAILBOX).sameValueAs(first)).isTrue();
        }

        assertThat(issuer.tokenRequests()).isEqualTo(1);
        assertThat(r.callersWaited()).isEqualTo(1);
        assertThat(count(TokenEvent.Type.ACQUIRED)).isEqualTo(1);
    }

    @Test
    void token_500ConcurrentCallersOverSeveralLifetimes_oneRequestPerRefreshNeverExpired() throws Exception {
        // 12 s: on a loaded 2-core machine the serving margin (10% = 1.2 s) must exceed how long a caller may be
        // descheduled between receiving its token and checking its expiry, and the half-life refresh (at 6 s, with 500
        // busy threads) must finish before that margin is reached
        long lifetimeSeconds = 12;
        issuer.stubToken(lifetimeSeconds);
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), RefreshTiming.DEFAULT);
        int callers = 500;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch gate = new CountDownLatch(1);
        Semaphore tickets = new Semaphore(0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger expired = new AtomicInteger();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Set<String> served = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    while (!stop.get()) {
                        if (!tickets.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        try {
                            AccessToken t = r.token(MAILBOX);
                            if (!t.expiresAt().isAfter(Instant.now())) {
                                expired.incrementAndGet();
                            }
                            served.add(t.value());
                            calls.incrementAndGet();
                        } catch (TokenException e) {
                            errors.add(e);
                        }
                    }
                    return null;
                }));
            }
            // every caller calls once per 50 ms tick
            ticker.scheduleAtFixedRate(() -> tickets.release(callers), 0, 50, TimeUnit.MILLISECONDS);
            Instant started = Instant.now();
            gate.countDown();
            // several lifetimes: the initial fetch plus three refreshes at half-life
            await().atMost(Duration.ofSeconds(90)).until(() -> issuer.tokenRequests() >= 4);
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            Duration elapsed = Duration.between(started, Instant.now());

            assertThat(errors).isEmpty();
            assertThat(expired.get()).isZero();
            assertThat(calls.get()).isGreaterThan(callers * 10);
            // one request at start, then one per half-lifetime; +1 for a refresh in flight at the end
            long bound = 2 + elapsed.toMillis() / (lifetimeSeconds * 1000 / 2);
            assertThat(issuer.tokenRequests()).isLessThanOrEqualTo((int) bound);
            assertThat(served).isSubsetOf(issuer.issuedTokens());
            // only callers of the very first round (no token yet) ever waited for the network
            assertThat(r.callersWaited()).isLessThanOrEqualTo(callers);
        } finally {
            stop.set(true);
            ticker.shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    void invalidate_currentToken_fiftyConcurrentCallersCauseOneRequest() throws Exception {
        issuer.stubToken(3600);
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), RefreshTiming.DEFAULT);
        AccessToken old = r.token(MAILBOX);

        r.invalidate(MAILBOX, old);
        List<AccessToken> got = concurrently(50, () -> r.token(MAILBOX));

        assertThat(issuer.tokenRequests()).isEqualTo(2);
        AccessToken fresh = got.get(0);
        assertThat(fresh.sameValueAs(old)).isFalse();
        assertThat(got).allMatch(t -> t.sameValueAs(fresh));
        assertThat(count(TokenEvent.Type.INVALIDATED)).isEqualTo(1);
        assertThat(count(TokenEvent.Type.REFRESHED)).isEqualTo(1);
    }

    @Test
    void invalidate_olderToken_noRequest() throws Exception {
        issuer.stubToken(3600);
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), RefreshTiming.DEFAULT);
        AccessToken old = r.token(MAILBOX);
        r.invalidate(MAILBOX, old);
        AccessToken current = r.token(MAILBOX);

        r.invalidate(MAILBOX, old);

        assertThat(r.token(MAILBOX).sameValueAs(current)).isTrue();
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void invalidate_newTokenRejectedAgainWithinInterval_noSecondFetch() throws Exception {
        issuer.stubToken(3600);
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), RefreshTiming.DEFAULT);
        r.invalidate(MAILBOX, r.token(MAILBOX));
        AccessToken second = r.token(MAILBOX);

        for (int i = 0; i < 20; i++) {
            r.invalidate(MAILBOX, second);
        }

        assertThat(r.token(MAILBOX).sameValueAs(second)).isTrue();
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void token_issuerDown_transientErrorThenBackgroundRetryRecovers() throws Exception {
        issuer = TestTokenIssuer.start(dir); // its own issuer: this test stops it
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), TokenFixtures.fastTiming());
        issuer.stop();

        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOfSatisfying(TokenException.class, e -> {
            assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("OAM110", "cannot reach", issuer.tokenEndpoint(), "retrying");
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> count(TokenEvent.Type.FAILED) >= 2);
        assertThat(r.status().lastErrorCode()).isEqualTo("io_error");

        issuer.restart();
        issuer.stubToken(3600);
        await().atMost(Duration.ofSeconds(20)).until(() -> r.status().expiresAt() != null);

        AccessToken t = r.token(MAILBOX);
        assertThat(issuer.issuedTokens()).containsExactly(t.value());
        assertThat(issuer.tokenRequests()).isEqualTo(1);
        assertThat(r.status().lastErrorCode()).isNull();
    }

    @Test
    void token_longOutageWithoutValidToken_retriesStayCappedSoSendsRecoverSoonAfterIssuerReturns() throws Exception {
        issuer.stubError(503, "temporarily_unavailable", "down", "c-503");
        // back-off cap 60 s while a token is held, 1 s while none is (the outage cap)
        RefreshTiming t = new RefreshTiming(Duration.ofSeconds(30), Duration.ofMillis(250), Duration.ofSeconds(60),
                Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(1));
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), t);
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOf(TokenException.class);
        // eight failed attempts: uncapped, the next one would come 16-32 s later (250 ms doubling)
        await().atMost(Duration.ofSeconds(30)).until(() -> issuer.tokenRequests() >= 8);

        issuer.stubToken(3600);
        AtomicReference<AccessToken> got = new AtomicReference<>();
        await("a token within a few outage caps of the issuer's return").atMost(Duration.ofSeconds(8)).until(() -> {
            try {
                got.set(r.token(MAILBOX));
                return true;
            } catch (TokenException e) {
                return false;
            }
        });
        assertThat(issuer.issuedTokens()).containsExactly(got.get().value());
    }

    @Test
    void token_issuerSlowerThanReadTimeout_concurrentCallersShareOneAttempt() throws Exception {
        Map<String, String> keys = TokenFixtures.clientCredentials(issuer);
        keys.put(key("read-timeout-ms"), "400");
        // the request may take connect-timeout-ms + read-timeout-ms in all (JdkHttpSender): answer well after that
        issuer.stubSlowToken(Duration.ofSeconds(12), 3600);
        TokenRefresher r = refresher(keys, TokenFixtures.fastTiming());

        List<Object> outcomes = concurrentlyCatching(20, () -> r.token(MAILBOX));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(TokenException.class, e ->
                assertThat(e.getMessage()).contains("no answer in time", key("read-timeout-ms"))));
        assertThat(count(TokenEvent.Type.FAILED)).isLessThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> issuer.tokenRequests() >= 1);
        assertThat(issuer.tokenRequests()).isLessThanOrEqualTo((int) count(TokenEvent.Type.FAILED) + 1);
    }

    @Test
    void token_rateLimited_failsFastAndNoRequestBeforeRetryAfter() throws Exception {
        Map<String, String> keys = TokenFixtures.clientCredentials(issuer);
        keys.put(key("token-wait-ms"), "1000");
        issuer.stubRateLimited(3);
        TokenRefresher r = refresher(keys, TokenFixtures.fastTiming());

        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOfSatisfying(TokenException.class, e -> {
            assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("HTTP 429", "rate limited", "retrying after 3 s");
        });
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> r.token(MAILBOX)).hasMessageContaining("next attempt at");
        }
        assertThat(issuer.tokenRequests()).isEqualTo(1);

        issuer.stubToken(3600);
        await().atMost(Duration.ofSeconds(20)).until(() -> r.status().expiresAt() != null);

        assertThat(issuer.tokenRequests()).isEqualTo(2);
        List<Instant> at = issuer.requests().stream().map(q -> q.getLoggedDate().toInstant()).toList();
        assertThat(Duration.between(at.get(0), at.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        r.token(MAILBOX);
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void token_serverErrorWhileTokenValid_keepsServingCachedToken() throws Exception {
        issuer.stubToken(4);
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), TokenFixtures.fastTiming());
        AccessToken t = r.token(MAILBOX);
        issuer.stubServerError();

        await().atMost(Duration.ofSeconds(10)).until(() -> count(TokenEvent.Type.FAILED) >= 1);
        AccessToken served = r.token(MAILBOX);

        assertThat(served.sameValueAs(t)).isTrue();
        assertThat(served.expiresAt()).isAfter(Instant.now());
        assertThat(r.status().lastErrorCode()).isNull(); // no code: a plain HTML 500
        assertThat(r.status().lastErrorMessage()).contains("HTTP 500");
        assertThat(issuer.tokenRequests()).isLessThanOrEqualTo(1 + (int) count(TokenEvent.Type.FAILED) + 1);

        issuer.stubToken(3600);
        await().atMost(Duration.ofSeconds(15)).until(() -> count(TokenEvent.Type.REFRESHED) >= 1);
        assertThat(r.token(MAILBOX).sameValueAs(t)).isFalse();
    }

    @Test
    void token_invalidClient_permanentNoRetryStorm() throws Exception {
        issuer.stubError(401, "invalid_client", "Client authentication failed.", "corr-ic");
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), TokenFixtures.fastTiming());

        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOfSatisfying(TokenException.class, e -> {
                assertThat(e.isPermanent()).isTrue();
                assertThat(e.errorCode()).isEqualTo("invalid_client");
                assertThat(e.correlationId()).isEqualTo("corr-ic");
                assertThat(e.getMessage()).contains("client authentication failed", key("client-id"));
            });
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> issuer.tokenRequests() == 1);

        TokenStatus s = r.status();
        assertThat(s.lastErrorCode()).isEqualTo("invalid_client");
        assertThat(s.lastCorrelationId()).isEqualTo("corr-ic");
        assertThat(s.lastErrorPermanent()).isTrue();
        assertThat(s.lastErrorAt()).isNotNull();
        assertThat(s.healthyAt(Instant.now())).isFalse();
    }

    @Test
    void token_permanentFailureAfterBackoff_nextCallerTriesOnce() throws Exception {
        issuer.stubError(400, "invalid_grant", "bad", "c");
        RefreshTiming t = new RefreshTiming(Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(4));
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), t);
        assertThatThrownBy(() -> r.token(MAILBOX)).isInstanceOf(TokenException.class);
        issuer.stubToken(3600);

        AtomicReference<AccessToken> got = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                got.set(r.token(MAILBOX));
                return true;
            } catch (TokenException e) {
                return false;
            }
        });

        assertThat(issuer.tokenRequests()).isEqualTo(2);
        assertThat(issuer.issuedTokens()).containsExactly(got.get().value());
    }

    @Test
    void token_primarySecretRejectedWithSecondary_switchesAndLogsWarning() throws Exception {
        Map<String, String> keys = TokenFixtures.entraSecret(issuer);
        keys.put(key("secondary.client-secret"), TokenFixtures.SECONDARY_SECRET);
        issuer.stubToken(3600);
        issuer.wireMock().stubFor(post(urlPathMatching(TestTokenIssuer.TOKEN_PATH_REGEX)).atPriority(1)
                .withRequestBody(containing("Sup3r-S3cret"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret "
                                + "provided.\",\"error_codes\":[7000215],\"correlation_id\":\"corr-switch\"}")));
        List<LogRecord> logs = new CopyOnWriteArrayList<>();
        Handler h = capture(logs);
        Logger log = Logger.getLogger(TokenRefresher.class.getName());
        log.addHandler(h);
        try {
            TokenRefresher r = refresher(keys, RefreshTiming.DEFAULT);
            assertThat(r.activeCredential()).isEqualTo("client-secret");

            AccessToken t = r.token(MAILBOX);

            assertThat(issuer.issuedTokens()).containsExactly(t.value());
            assertThat(issuer.tokenRequests()).isEqualTo(2);
            assertThat(r.status().activeCredential()).isEqualTo("secondary.client-secret");
            assertThat(events).filteredOn(e -> e.type() == TokenEvent.Type.CREDENTIAL_SWITCHED).singleElement()
                    .satisfies(e -> assertThat(e.error().errorCode()).isEqualTo("AADSTS7000215"));
            assertThat(logs).filteredOn(l -> l.getMessage().startsWith("OAM105")).singleElement().satisfies(l -> {
                assertThat(l.getLevel()).isEqualTo(Level.WARNING);
                assertThat(l.getMessage()).contains("secondary.client-secret", "corr-switch");
            });

            r.invalidate(MAILBOX, t);
            r.token(MAILBOX);
            assertThat(issuer.tokenRequests()).isEqualTo(3);
            assertThat(issuer.lastRequestForm()).containsEntry("client_secret", TokenFixtures.SECONDARY_SECRET);
        } finally {
            log.removeHandler(h);
        }
    }

    @Test
    void token_primarySecretExpiredWithSecondaryCertificate_switchesToCertificate() throws Exception {
        Map<String, String> keys = TokenFixtures.entraSecret(issuer);
        keys.put(key("secondary.certificate-path"), TokenFixtures.clientPkcs12(dir).toString());
        keys.put(key("secondary.certificate-password"), TokenFixtures.CERT_PASSWORD);
        issuer.stubToken(3600);
        issuer.wireMock().stubFor(post(urlPathMatching(TestTokenIssuer.TOKEN_PATH_REGEX)).atPriority(1)
                .withRequestBody(containing("client_secret="))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000222: The provided client "
                                + "secret keys are expired.\",\"correlation_id\":\"corr-exp\"}")));
        TokenRefresher r = refresher(keys, RefreshTiming.DEFAULT);

        AccessToken t = r.token(MAILBOX);

        assertThat(issuer.issuedTokens()).containsExactly(t.value());
        assertThat(r.activeCredential()).isEqualTo("secondary.certificate");
        assertThat(issuer.lastRequestForm()).containsKey("client_assertion").doesNotContainKey("client_secret");
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void token_primaryRejectedWithoutSecondary_permanentErrorNoSwitch() {
        issuer.stubEntraError("invalid_client", 7000215, "Invalid client secret provided.", "corr-n");
        TokenRefresher r = refresher(TokenFixtures.entraSecret(issuer), TokenFixtures.fastTiming());

        assertThatThrownBy(() -> r.token(MAILBOX)).hasMessageContaining("client secret is wrong");

        assertThat(issuer.tokenRequests()).isEqualTo(1);
        assertThat(r.activeCredential()).isEqualTo("client-secret");
        assertThat(count(TokenEvent.Type.CREDENTIAL_SWITCHED)).isZero();
    }

    @Test
    void token_jwtBearerTwoMailboxes_cachedPerMailbox() throws Exception {
        TokenFixtures.signingKey(dir.resolve("k.pem"), "RSA");
        Map<String, String> keys = TokenFixtures.oauth2(issuer, "jwt-bearer");
        keys.put(key("signing-key-path"), dir.resolve("k.pem").toString());
        keys.put(key("scope"), "https://mail.google.com/");
        issuer.stubToken(3600);
        TokenRefresher r = refresher(keys, RefreshTiming.DEFAULT);

        AccessToken a = r.token("a@example.com");
        AccessToken b = r.token("B@example.com");

        assertThat(r.token("A@Example.com").sameValueAs(a)).isTrue();
        assertThat(r.token("b@example.com").sameValueAs(b)).isTrue();
        assertThat(a.sameValueAs(b)).isFalse();
        assertThat(issuer.tokenRequests()).isEqualTo(2);
        assertThat(events).filteredOn(e -> e.type() == TokenEvent.Type.ACQUIRED).extracting(TokenEvent::mailbox)
                .containsExactlyInAnyOrder("a@example.com", "B@example.com");
    }

    @Test
    void addListener_listenerThrows_tokenStillServedAndOthersNotified() throws Exception {
        issuer.stubToken(3600);
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), RefreshTiming.DEFAULT);
        r.addListener(e -> {
            throw new IllegalStateException("broken listener");
        });
        List<TokenEvent> later = new CopyOnWriteArrayList<>();
        r.addListener(later::add);

        AccessToken t = r.token(MAILBOX);

        assertThat(issuer.issuedTokens()).containsExactly(t.value());
        assertThat(later).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(TokenEvent.Type.ACQUIRED);
            assertThat(e.resource()).isEqualTo(TokenFixtures.NAME);
            assertThat(e.credential()).isEqualTo("client-secret");
            assertThat(e.expiresAt()).isEqualTo(t.expiresAt());
        });
        TokenStatus s = r.status();
        assertThat(s.expiresAt()).isEqualTo(t.expiresAt());
        assertThat(s.lastRefresh()).isEqualTo(t.issuedAt());
        assertThat(s.healthyAt(Instant.now())).isTrue();
    }

    @Test
    void create_entraKeysFromTestIssuer_servesToken() throws Exception {
        Map<String, String> keys = issuer.entraClientSecretKeys("other");
        keys.put("oauth2mail.other.mailbox", MAILBOX);
        issuer.stubToken("fixed-token-for-greenmail", 3600);

        try (TokenRefresher r = TokenRefresher.create(io.github.oauth2mail.config.ConnectorSettings.load("other",
                io.github.oauth2mail.config.SettingsSource.of(keys), Map.of()))) {
            assertThat(r.token(MAILBOX).value()).isEqualTo("fixed-token-for-greenmail");
        }
        assertThat(issuer.lastRequestForm()).containsEntry("client_secret", "test-secret");
    }

    @Test
    void close_running_stopsThreadsAndRefusesCallers() throws Exception {
        issuer.stubToken(3600);
        TokenRefresher r = refresher(TokenFixtures.clientCredentials(issuer), RefreshTiming.DEFAULT);
        r.token(MAILBOX);

        r.close();

        assertThatThrownBy(() -> r.token(MAILBOX)).hasMessageContaining("OAM116");
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("oauth2mail-token-" + TokenFixtures.NAME + "-") && t.isAlive()));
    }

    // ---- helpers ----

    interface Call<T> {
        T call() throws Exception;
    }

    static <T> List<T> concurrently(int n, Call<T> call) throws Exception {
        List<Object> outcomes = concurrentlyCatching(n, call);
        List<T> out = new ArrayList<>();
        for (Object o : outcomes) {
            if (o instanceof Throwable) {
                throw new AssertionError("a caller failed", (Throwable) o);
            }
            @SuppressWarnings("unchecked")
            T t = (T) o;
            out.add(t);
        }
        return out;
    }

    /** Runs {@code call} on {@code n} threads released together; returns each result or exception. */
    static List<Object> concurrentlyCatching(int n, Call<?> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<Object>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    try {
                        return call.call();
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            gate.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : fs) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static Handler capture(List<LogRecord> into) {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                into.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        h.setLevel(Level.ALL);
        return h;
    }
}
