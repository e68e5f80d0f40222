package io.github.oauth2mail.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RefreshTimingTest {

    private static final RefreshTiming T = RefreshTiming.DEFAULT;

    private static AccessToken lasting(Duration d) {
        Instant now = Instant.now();
        return new AccessToken("x", now, now.plus(d));
    }

    @Test
    void margin_hourLongToken_thirtySeconds() {
        assertThat(T.margin(lasting(Duration.ofHours(1)))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void margin_twoSecondToken_tenPercent() {
        assertThat(T.margin(lasting(Duration.ofSeconds(2)))).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void refreshAhead_anyToken_halfLifetime() {
        assertThat(T.refreshAhead(lasting(Duration.ofSeconds(3600)))).isEqualTo(Duration.ofSeconds(1800));
        assertThat(T.refreshAhead(lasting(Duration.ofSeconds(4)))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void isValidAt_withinMargin_notServed() {
        AccessToken t = lasting(Duration.ofSeconds(2));
        assertThat(t.isValidAt(t.issuedAt().plusMillis(1700), T.margin(t))).isTrue();
        assertThat(t.isValidAt(t.issuedAt().plusMillis(1850), T.margin(t))).isFalse();
    }

    @RepeatedTest(20)
    void backoff_growingFailures_exponentialWithJitterCapped() {
        assertThat(T.backoff(1, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(T.backoff(3, null)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(T.backoff(40, null)).isBetween(Duration.ofSeconds(150), Duration.ofMinutes(5));
    }

    @RepeatedTest(20)
    void backoff_outageWithoutValidToken_cappedAtOneMinuteButRetryAfterStillWins() {
        assertThat(T.backoff(40, null, true)).isBetween(Duration.ofSeconds(30), Duration.ofMinutes(1));
        assertThat(T.backoff(1, null, true)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(T.backoff(40, Duration.ofSeconds(120), true)).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void backoff_retryAfterLonger_retryAfterWins() {
        assertThat(T.backoff(1, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void parseRetryAfter_secondsOrDate_parsed() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(TokenErrors.parseRetryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(TokenErrors.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(TokenErrors.parseRetryAfter("soon", now)).isNull();
        assertThat(TokenErrors.parseRetryAfter("999999", now)).isEqualTo(Duration.ofHours(1));
    }
}
