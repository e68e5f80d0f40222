package io.github.oauth2mail.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Classification of identity provider answers: transient or permanent, code, and the hint naming the key to fix. */
class TokenErrorsTest {

    private static final SourceContext CTX = new SourceContext(ConnectorSettings.load("res", SettingsSource.of(Map.of(
            "oauth2mail.res.tenant-id", "t1", "oauth2mail.res.client-id", "c1", "oauth2mail.res.client-secret", "s",
            "oauth2mail.res.mailbox", "a@example.com")), Map.of()), "https://login.example.com/t1/", "client-secret");

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "401 | invalid_client      | AADSTS7000215: Invalid client secret provided. | PERMANENT | AADSTS7000215 | client secret is wrong: check oauth2mail.res.client-secret",
        "401 | invalid_client      | AADSTS7000222: The provided client secret keys are expired. | PERMANENT | AADSTS7000222 | client secret expired: create a new one",
        "400 | unauthorized_client | AADSTS700016: Application with identifier 'c1' was not found | PERMANENT | AADSTS700016 | application not found in tenant: check oauth2mail.res.client-id and oauth2mail.res.tenant-id",
        "400 | invalid_request     | AADSTS90002: Tenant 't1' not found. | PERMANENT | AADSTS90002 | tenant not found: check oauth2mail.res.tenant-id",
        "400 | invalid_scope       | null | PERMANENT | invalid_scope | scope rejected: check oauth2mail.res.scope",
        "400 | invalid_grant       | null | PERMANENT | invalid_grant | oauth2mail.res.refresh-token",
        "400 | invalid_request     | null | PERMANENT | invalid_request | request rejected as malformed",
        "401 | invalid_client      | null | PERMANENT | invalid_client | client authentication failed: check oauth2mail.res.client-id",
        "429 | null                | null | TRANSIENT | null | rate limited",
        "500 | null                | null | TRANSIENT | null | identity provider error",
        "503 | temporarily_unavailable | AADSTS90033: transient | TRANSIENT | AADSTS90033 | retrying with back-off",
        "400 | temporarily_unavailable | null | TRANSIENT | temporarily_unavailable | retrying with back-off"})
    void fromResponse_table_kindCodeAndHint(int status, String error, String description, TokenException.Kind kind,
                                            String code, String hint) {
        TokenException e = TokenErrors.fromResponse(CTX, status, error, description, "corr-1", null, null);

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.errorCode()).isEqualTo(code);
        assertThat(e.correlationId()).isEqualTo("corr-1");
        assertThat(e.getMessage()).contains(hint, "res", "t1", "c1", "corr-1").doesNotContain("client-secret=s");
    }

    @Test
    void fromResponse_429WithRetryAfter_carriesIt() {
        TokenException e = TokenErrors.fromResponse(CTX, 429, null, null, null, "12", null);

        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(e.getMessage()).contains("retrying after 12 s");
    }

    @Test
    void fromResponse_permanentWithRetryAfter_ignoresIt() {
        assertThat(TokenErrors.fromResponse(CTX, 400, "invalid_grant", null, null, "12", null).retryAfter()).isNull();
    }

    @Test
    void credentialRejected_onlyCredentialErrors() {
        assertThat(TokenErrors.credentialRejected(TokenErrors.fromResponse(CTX, 401, "invalid_client",
                "AADSTS7000215: x", null, null, null))).isTrue();
        assertThat(TokenErrors.credentialRejected(TokenErrors.fromResponse(CTX, 401, "invalid_client", null, null, null,
                null))).isTrue();
        assertThat(TokenErrors.credentialRejected(TokenErrors.fromResponse(CTX, 400, "invalid_request",
                "AADSTS90002: x", null, null, null))).isFalse();
        assertThat(TokenErrors.credentialRejected(TokenErrors.fromResponse(CTX, 500, null, null, null, null, null)))
                .isFalse();
    }

    @Test
    void fromIo_connectionRefused_transientNamingEndpoint() {
        TokenException e = TokenErrors.fromIo(CTX, new ConnectException("Connection refused"));

        assertThat(e.kind()).isEqualTo(TokenException.Kind.TRANSIENT);
        assertThat(e.getMessage()).contains("OAM110", "https://login.example.com/t1/", "ConnectException");
    }
}
