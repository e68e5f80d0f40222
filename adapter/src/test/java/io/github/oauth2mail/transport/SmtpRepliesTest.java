package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure logic: reading what servers say (EHLO keywords, OAuth2 error challenges, AUTH failure advice). */
class SmtpRepliesTest {

    private static SmtpReply reply(int code, String... lines) {
        return new SmtpReply(code, List.of(lines));
    }

    @Test
    void parse_ehloWithObsoleteAuthEquals_mechanismsFromBothForms() {
        ServerExtensions e = ServerExtensions.parse(reply(250, "250-mx.example.com Hello", "250-SIZE 35882577",
                "250-AUTH LOGIN XOAUTH2", "250-AUTH=LOGIN", "250-starttls", "250 SMTPUTF8"));
        assertThat(e.authMechanisms()).containsExactly("LOGIN", "XOAUTH2");
        assertThat(e.has("STARTTLS")).isTrue();
        assertThat(e.has("SMTPUTF8")).isTrue();
        assertThat(e.has("8BITMIME")).isFalse();
    }

    @Test
    void decode_exchangeErrorChallenge_statusSchemesScope() {
        String json = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://outlook.office365.com/.default\"}";
        OAuthErrorChallenge c = OAuthErrorChallenge.decode(
                Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(c.status()).isEqualTo("401");
        assertThat(c.toString()).contains("schemes=bearer", "scope=https://outlook.office365.com/.default");
    }

    @Test
    void decode_garbageChallenge_nullStatusNoException() {
        assertThat(OAuthErrorChallenge.decode("!!not base64!!").status()).isNull();
        assertThat(OAuthErrorChallenge.decode("e30=").status()).isNull();
    }

    @Test
    void failed_smtpAuthDisabled_adviceNamesExchangeSetting() {
        SmtpAuthenticationException e = SmtpAuthenticationException.failed("smtp.office365.com", 587, "a@example.com",
                "XOAUTH2", reply(535, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
                        + "for the Tenant."), null);
        assertThat(e.tokenRejected()).isTrue();
        assertThat(e.getMessage()).contains("535 5.7.139", "SMTP AUTH is disabled for the tenant or mailbox",
                "enable authenticated SMTP in Exchange admin");
    }

    @Test
    void failed_tokenNotAccepted_adviceNamesPermissionAndServicePrincipal() {
        SmtpAuthenticationException e = SmtpAuthenticationException.failed("smtp.office365.com", 587, "a@example.com",
                "XOAUTH2", reply(535, "535 5.7.3 Authentication unsuccessful"), null);
        assertThat(e.getMessage()).contains("SMTP.SendAsApp", "service principal", "mailbox permission");
        assertThat(e.serverReply()).isEqualTo("535 5.7.3 Authentication unsuccessful");
    }

    @Test
    void failed_mechanismUnknown_notTokenRejected() {
        SmtpAuthenticationException e = SmtpAuthenticationException.failed("mx.example.com", 587, "a@example.com",
                "XOAUTH2", reply(504, "504 5.7.4 Unrecognized authentication type"), null);
        assertThat(e.tokenRejected()).isFalse();
        assertThat(e.getMessage()).contains("refused AUTH XOAUTH2", "504 5.7.4");
    }

    @Test
    void problem_addresses_controlCharactersAndNonAsciiRules() {
        assertThat(EnvelopeAddress.problem("alice@example.org", false)).isNull();
        assertThat(EnvelopeAddress.problem("\"john doe\"@example.org", false)).isNull();
        assertThat(EnvelopeAddress.problem("jürgen@example.org", true)).isNull();
        assertThat(EnvelopeAddress.problem("jürgen@example.org", false)).contains("SMTPUTF8");
        assertThat(EnvelopeAddress.problem("a@example.org\u2029", true)).contains("U+2029");
        assertThat(EnvelopeAddress.problem("a@example.org\u007f", true)).contains("U+007F");
        assertThat(EnvelopeAddress.problem("a@example.org> NOTIFY=NEVER", true)).contains("'<' or '>'");
    }
}
