package io.github.oauth2mail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.TokenStatus;
import jakarta.mail.MessagingException;
import java.net.ConnectException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    static final Instant NOW = Instant.parse("2026-11-29T07:00:00Z");

    static TokenStatus status(Instant expires, String code, boolean permanent) {
        return new TokenStatus("r", "client-secret", expires, NOW.minusSeconds(600), code, code == null ? null : "c-1",
                code == null ? null : NOW.minusSeconds(5), code == null ? null : "OAM111 failed", permanent);
    }

    @Test
    void evaluate_transientFailureWhileTokenValid_upBecauseMailStillFlows() {
        Health h = HealthCheck.evaluate(status(NOW.plusSeconds(1800), "server_error", false), null, null, "h:587", "h:587", 1, 2,
                null, NOW);
        assertThat(h.up()).isTrue();
        assertThat(h.data()).containsEntry("lastTokenErrorCode", "server_error").containsEntry("connectionsIdle", "2");
    }

    @Test
    void evaluate_transientFailureAndTokenExpired_downOam431WithCode() {
        Health h = HealthCheck.evaluate(status(NOW.minusSeconds(1), "io_error", false), null, null, "h:587", "h:587", 0, 0,
                null, NOW);
        assertThat(h.up()).isFalse();
        assertThat(h.reason()).startsWith("OAM431").contains("io_error").contains("correlation id c-1");
    }

    @Test
    void evaluate_permanentFailureWhileTokenStillValid_downOam430() {
        Health h = HealthCheck.evaluate(status(NOW.plusSeconds(1800), "AADSTS7000222", true), null, null, "h:587", "h:587", 0, 0,
                null, NOW);
        assertThat(h.toString()).startsWith("DOWN: OAM430").contains("AADSTS7000222");
    }

    @Test
    void evaluate_mailServerRefusedAndTokenFine_downOam432WithCode() {
        MessagingException refused = new AdapterMessagingException(MessageId.SMTP_CONNECT_FAILED, "cannot open SMTP "
                + "connection to h:587 (connect)", new ConnectException("Connection refused"));
        Health h = HealthCheck.evaluate(status(NOW.plusSeconds(1800), null, false), refused, NOW, "h:587", "h:587", 0, 0,
                null, NOW);
        assertThat(h.reason()).startsWith("OAM432 mail server h:587 refused the connection (ConnectException");
        assertThat(h.data()).containsEntry("lastMailServerErrorCode", "ConnectException");
    }

    @Test
    void evaluate_noTokenYetNothingFailed_up() {
        Health h = HealthCheck.evaluate(new TokenStatus("r", "client-secret", null, null, null, null, null, null, false),
                null, null, "h:587", "h:587", 0, 0, null, NOW);
        assertThat(h.toString()).startsWith("UP: no access token fetched yet");
    }
}
