package io.github.oauth2mail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.token.TokenException;
import jakarta.mail.MessagingException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class KnownFailuresTest {

    final ConnectorSettings s = TestSettings.mailbox("a@example.com").build();

    @Test
    void classify_greetingRefused4_3_2_throttled() {
        MessagingException e = new MessagingException("OAM206 SMTP server h:587 refused the connection: 421 4.3.2 "
                + "Service not available");
        assertThat(KnownFailures.classify(e)).isEqualTo(FailureKind.THROTTLED);
        assertThat(KnownFailures.code(e)).isEqualTo("421 4.3.2");
        assertThat(KnownFailures.fix(s, e)).contains("oauth2mail.test.max-connections-per-mailbox");
    }

    @Test
    void classify_tokenExceptionCause_tokenWithIdpCodeAndCorrelation() {
        TokenException t = new TokenException(TokenException.Kind.PERMANENT, "OAM112 ...", "AADSTS7000222", "corr-9", null);
        MessagingException e = new MessagingException(t.getMessage(), t);
        assertThat(KnownFailures.classify(e)).isEqualTo(FailureKind.TOKEN);
        assertThat(KnownFailures.code(e)).isEqualTo("AADSTS7000222");
        assertThat(KnownFailures.correlationId(e)).isEqualTo("corr-9");
        assertThat(KnownFailures.fix(s, e)).contains("expired").contains("oauth2mail.test.client-secret");
    }

    @Test
    void classify_tlsAndRefused_tlsAndConnectionWithFix() {
        MessagingException tls = new MessagingException("OAM205 TLS with SMTP server h:465 failed (connect): PKIX path "
                + "building failed", new SSLHandshakeException("PKIX path building failed"));
        MessagingException refused = new MessagingException("OAM206 cannot open SMTP connection to h:1 (connect)",
                new ConnectException("Connection refused"));
        assertThat(KnownFailures.classify(tls)).isEqualTo(FailureKind.TLS);
        assertThat(KnownFailures.fix(s, tls)).contains("not trusted").contains("oauth2mail.test.trust-store-path");
        assertThat(KnownFailures.classify(refused)).isEqualTo(FailureKind.CONNECTION);
        assertThat(KnownFailures.fix(s, refused)).startsWith("nothing accepts connections on");
    }
}
