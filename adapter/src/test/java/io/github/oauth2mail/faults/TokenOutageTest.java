package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.ConnectorKeys;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue #8, scenarios 1-5: the identity provider (or the token) fails while an app keeps sending. */
class TokenOutageTest extends FaultTestSupport {

    private final AtomicInteger sent = new AtomicInteger();
    private final List<MessagingException> failures = new ArrayList<>();

    /** One send; true when it succeeded (failures are recorded). */
    private boolean trySend(Session session, String prefix) {
        try {
            Transport.send(message(session, ALICE, prefix + "-" + sent.get()));
            sent.incrementAndGet();
            return true;
        } catch (MessagingException e) {
            failures.add(e);
            return false;
        }
    }

    @Test
    void identityProviderDown_longerThanRefreshShorterThanLifetime_zeroFailedSendsBoundedRequests() throws Exception {
        startServer(T1, T2);
        issuer.stubToken(T1, 12); // background refresh at 6 s, served until 10.8 s
        Session session = session(factory(keys("idpdown")));
        assertThat(trySend(session, "warm-up")).isTrue();
        assertThat(issuer.tokenRequests()).isEqualTo(1);

        issuer.stubServerError();
        // keep sending through the refresh point until the refresh and one retry have failed
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> trySend(session, "outage") && issuer.tokenRequests() >= 3);
        int duringOutage = issuer.tokenRequests() - 1;
        int sendsDuringOutage = sent.get() - 1;

        issuer.stubToken(T2, 60);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> trySend(session, "recovering") && issuer.issuedTokens().contains(T2));
        // refresh resumed: new connections authenticate with the new token
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> trySend(session, "after") && authTokens().contains(T2));

        assertThat(failures).as("failed sends").isEmpty();
        assertThat(server.messages()).as("every send arrived once").hasSize(sent.get());
        assertThat(duringOutage).as("issuer requests during the outage: back-off, not one per send")
                .isBetween(2, 5).isLessThan(sendsDuringOutage);
        assertThat(issuer.issuedTokens()).containsOnly(T1, T2);
        assertThat(authTokens()).containsOnly(T1, T2);
    }

    @Test
    void identityProviderDown_pastTokenExpiry_sendsFailFastNamingResourceAndLastErrorThenRecover() throws Exception {
        startServer(T1, T2);
        issuer.stubToken(T1, 4);
        ConnectorKeys keys = keys("pastexpiry").set("token-wait-ms", "1500");
        Session session = session(factory(keys));
        assertThat(trySend(session, "warm-up")).isTrue();
        issuer.stubServerError();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !trySend(session, "until-expiry"));
        int delivered = sent.get();
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            trySend(session, "expired");
        }
        Duration threeSends = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failures).hasSize(4).allSatisfy(e -> assertThat(e.getMessage())
                .contains("Connector resource 'pastexpiry'")
                .containsAnyOf("got no access token", "no access token")
                .contains("HTTP 500"));
        assertThat(threeSends).as("each failing send waits at most token-wait-ms (1.5 s), not the read timeout")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(server.messages()).hasSize(delivered);
        assertThat(authTokens()).as("never an AUTH with an expired token").containsOnly(T1);
        int requestsWhileDown = issuer.tokenRequests();
        assertThat(requestsWhileDown).as("back-off: no request per send").isLessThanOrEqualTo(1 + 6);

        issuer.stubToken(T2, 60);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> trySend(session, "recovered"));
        assertThat(server.messages()).hasSize(sent.get());
        assertThat(authTokens()).contains(T2);
    }

    @Test
    void issuerRateLimits_429WithRetryAfter_noRequestBeforeRetryAfter() throws Exception {
        startServer(T1);
        issuer.stubRateLimited(2);
        Session session = session(factory(keys("ratelimit")));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !trySend(session, "limited") && issuer.tokenRequests() >= 3);
        issuer.stubToken(T1, 3600);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> trySend(session, "allowed"));

        List<LoggedRequest> requests = issuer.requests();
        for (int i = 1; i < requests.size(); i++) {
            long gap = requests.get(i).getLoggedDate().getTime() - requests.get(i - 1).getLoggedDate().getTime();
            assertThat(gap).as("ms between token request %d and %d", i, i + 1).isGreaterThanOrEqualTo(1990);
        }
        assertThat(failures).isNotEmpty().allSatisfy(e -> assertThat(e.getMessage())
                .contains("HTTP 429", "'ratelimit'"));
        assertThat(server.messages()).hasSize(sent.get()).hasSizeGreaterThanOrEqualTo(1);
    }

    @Test
    void issuerRejectsClient_invalidClient_noRetryStormVisibleErrorRecoversAfterResourceRestart() throws Exception {
        startServer(T1);
        issuer.stubError(401, "invalid_client", "Client authentication failed", "corr-404");
        ConnectorKeys keys = keys("badsecret").set("client-secret", "the-old-expired-secret");
        OAuth2MailManagedConnectionFactory mcf = factory(keys);
        Session session = session(mcf);
        for (int i = 0; i < 10; i++) {
            assertThat(trySend(session, "rejected")).isFalse();
        }
        assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e.getMessage())
                .contains("'badsecret'", "HTTP 401", "invalid_client", "corr-404")
                .doesNotContain("the-old-expired-secret"));
        assertThat(issuer.tokenRequests()).as("a permanent error is not retried per send").isEqualTo(1);

        // the admin fixes the secret in the configuration; the issuer accepts again
        keys.set("client-secret", ConnectorKeys.SECRET);
        issuer.stubToken(T1, 3600);
        assertThat(trySend(session, "before restart")).as("settings are read once: still blocked").isFalse();
        assertThat(issuer.tokenRequests()).isEqualTo(1);

        // admin action: restart the connector resource (here: close the factory; the next use reloads the settings)
        mcf.close();
        Session restarted = session(mcf);
        assertThat(trySend(restarted, "after restart")).isTrue();
        assertThat(issuer.tokenRequests()).isEqualTo(2);
        String basic = issuer.requests().get(1).getHeader("Authorization");
        assertThat(new String(Base64.getDecoder().decode(basic.substring(6)))).endsWith(":" + ConnectorKeys.SECRET);
        assertThat(server.messages()).hasSize(1);
        assertThat(count("MAIL")).isEqualTo(1);
    }

    @Test
    void tokenRevokedMidLife_serverAnswers535_oneForcedRefreshAndSendSucceeds() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("revoked")));
        for (int i = 0; i < 3; i++) {
            assertThat(trySend(session, "before")).isTrue();
        }
        // revocation: the server now refuses T1 and ends the sessions authenticated with it
        server.acceptTokens(T2);
        issuer.stubToken(T2, 3600);
        server.dropConnections();

        assertThat(trySend(session, "after revocation")).isTrue();
        assertThat(trySend(session, "after revocation")).isTrue();
        assertThat(failures).isEmpty();
        assertThat(issuer.tokenRequests()).as("one initial fetch, one forced refresh").isEqualTo(2);
        assertThat(authTokens()).containsExactly(T1, T1, T2);
        assertThat(server.messages()).hasSize(5);
    }

    @Test
    void tokenRefusedByServer_everyToken_boundedAttemptsClearExceptionNoLoop() throws Exception {
        startServer(); // accepts no token
        issuer.stubToken(T1, 3600);
        Session session = session(factory(keys("refused")));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> Transport.send(message(session, ALICE, "refused")))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("535")
                    .hasMessageNotContaining(T1);
        }
        assertThat(count("AUTH")).as("at most two AUTH per send (one retry with a fresh token)").isBetween(3L, 6L);
        assertThat(issuer.tokenRequests()).as("one fetch plus at most one forced refresh per send").isBetween(2, 4);
        assertThat(count("MAIL")).isZero();
        assertThat(server.messages()).isEmpty();
    }
}
