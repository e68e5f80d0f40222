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
    void token_issuerSlowerThanReadTimeout_concurrentCallersShareOneAttempt() throws Exception {
        Map<String, String> keys = TokenFixtures.clientCredentials(issuer);
        keys.put(key("read-timeout-ms"), "400");
        keys.put(key("connect-timeout-ms"), "200"); // a local issuer: the request may take 600 ms in all
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
        assertThat(issuer.tokenRequests()).isEqualTo(1); // no background retry: see TokenRefresherFakeTimeTest

        TokenStatus s = r.status();
        assertThat(s.lastErrorCode()).isEqualTo("invalid_client");
        assertThat(s.lastCorrelationId()).isEqualTo("corr-ic");
        assertThat(s.lastErrorPermanent()).isTrue();
        assertThat(s.lastErrorAt()).isNotNull();
        assertThat(s.healthyAt(Instant.now())).isFalse();
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
    void token_slowIdentityProviderRefreshingTwoMailboxes_thirdMailboxsCallerNotQueuedBehindThem() throws Exception {
        // per-mailbox tokens of 2 s: refresh-ahead at 1 s; the refreshes of a@ and b@ then hang at the identity provider
        CountDownLatch refreshing = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        TokenSource slowOnRefresh = new TokenSource() {
            @Override
            public AccessToken fetch(String mailbox, boolean skipCache) throws TokenException {
                if (asked.computeIfAbsent(mailbox, m -> new AtomicInteger()).incrementAndGet() > 1) {
                    refreshing.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                Instant now = Instant.now();
                return new AccessToken("t-" + mailbox + "-" + now.toEpochMilli(), now, now.plusSeconds(2));
            }

            @Override
            public boolean perMailbox() {
                return true;
            }

            @Override
            public String credential() {
                return "signing-key";
            }
        };
        Map<String, String> keys = TokenFixtures.clientCredentials(issuer);
        keys.put(key("token-wait-ms"), "3000");
        refresher = new TokenRefresher(TokenFixtures.settings(keys), List.of(slowOnRefresh), RefreshTiming.DEFAULT);
        try {
            refresher.token("a@example.com");
            refresher.token("b@example.com");
            assertThat(refreshing.await(20, TimeUnit.SECONDS)).as("both refreshes hang").isTrue();

            AccessToken c = refresher.token("c@example.com");

            assertThat(c.value()).startsWith("t-c@example.com-");
        } finally {
            release.countDown();
        }
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

    @Test
    void close_closesItsTokenSources_soNoHttpClientOutlivesTheResource() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        TokenSource source = new TokenSource() {
            @Override
            public AccessToken fetch(String mailbox, boolean skipCache) {
                Instant now = Instant.now();
                return new AccessToken("t", now, now.plusSeconds(3600));
            }

            @Override
            public boolean perMailbox() {
                return false;
            }

            @Override
            public String credential() {
                return "client-secret";
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        TokenRefresher r = new TokenRefresher(TokenFixtures.settings(TokenFixtures.clientCredentials(issuer)),
                List.of(source), RefreshTiming.DEFAULT);
        r.token(MAILBOX);

        r.close();

        assertThat(closed).as("the source let go of its HTTP client").hasValue(1);
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
