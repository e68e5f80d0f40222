package io.github.oauth2mail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.AdapterAuthenticationException;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.testing.TestSettings;
import io.github.oauth2mail.token.TokenException;
import jakarta.mail.MessagingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Failures are sorted by value (message ID, reply code, enhanced status, exception type), never by message text. */
class KnownFailuresTest {

    final ConnectorSettings s = TestSettings.mailbox("a@example.com").build();

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("connect refused to 10.14.3.21 (the host contains 4.3.2)",
                        new AdapterMessagingException(MessageId.SMTP_CONNECT_FAILED, "cannot open SMTP connection to "
                                + "10.14.3.21:587 (connect): java.net.ConnectException: Connection refused to "
                                + "10.14.3.21",
                                new ConnectException("Connection refused to 10.14.3.21")), FailureKind.CONNECTION),
                Arguments.of("bare ConnectException to 10.14.3.21",
                        new ConnectException("Connection refused: 10.14.3.21:587"), FailureKind.CONNECTION),
                Arguments.of("no answer", new SocketTimeoutException("connect timed out"), FailureKind.CONNECTION),
                Arguments.of("unknown host", new UnknownHostException("smtp.4.3.2.example"), FailureKind.CONNECTION),
                Arguments.of("MAIL FROM 432 4.3.2",
                        new AdapterMessagingException(MessageId.SMTP_MAIL_FROM_REJECTED, "h rejected MAIL FROM", 432,
                                "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", null),
                        FailureKind.THROTTLED),
                Arguments.of("greeting 421 4.3.2",
                        new AdapterMessagingException(MessageId.SMTP_SESSION_REFUSED, "SMTP server h:587 refused the "
                                + "connection", 421, "421 4.3.2 Service not available", null), FailureKind.THROTTLED),
                Arguments.of("554 5.2.0 quota",
                        new AdapterMessagingException(MessageId.SMTP_MESSAGE_REJECTED, "h did not accept the message",
                                554, "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException", null),
                        FailureKind.QUOTA),
                Arguments.of("recipient rejected, our text full of 4.3.2, quota words and other IDs",
                        new AdapterMessagingException(MessageId.SMTP_RECIPIENTS_REJECTED, "OAM205 OAM206 rejected "
                                + "RCPT TO:<q@10.4.3.2.example> 4.3.2 SubmissionQuotaExceeded 554 5.2.0", 550,
                                "550 5.1.1 User unknown", null), FailureKind.OTHER),
                Arguments.of("delivery unknown mentioning SubmissionQuotaExceeded in our own text",
                        new AdapterMessagingException(MessageId.SMTP_DELIVERY_UNKNOWN,
                                "delivery unknown: SubmissionQuotaExceeded 432 4.3.2"),
                        FailureKind.OTHER),
                Arguments.of("token failure wrapped",
                        new MessagingException("OAM112 ...", new TokenException(MessageId.TOKEN_REQUEST_REJECTED,
                                TokenException.Kind.PERMANENT, "... 4.3.2", "AADSTS7000222", "corr-9", null)),
                        FailureKind.TOKEN),
                Arguments.of("SMTP TLS failed",
                        new AdapterMessagingException(MessageId.SMTP_TLS_FAILED, "TLS with SMTP server h:465 failed "
                                + "(connect)",
                                new SSLHandshakeException("PKIX path building failed")), FailureKind.TLS),
                Arguments.of("IMAP TLS failed", new AdapterMessagingException(MessageId.STORE_TLS_FAILED,
                        "TLS with IMAP server h:993 failed", new SSLHandshakeException("x")), FailureKind.TLS),
                Arguments.of("IMAP token rejected twice", new AdapterAuthenticationException(
                        MessageId.STORE_TOKEN_REJECTED_TWICE, "IMAP server h:993 did not accept ...", null),
                        FailureKind.AUTH),
                Arguments.of("POP3 cannot connect", new AdapterMessagingException(MessageId.STORE_CONNECT_FAILED,
                        "cannot open POP3 connection to h:995", new ConnectException("refused")), FailureKind.CONNECTION),
                Arguments.of("pool wait", new AdapterMessagingException(MessageId.POOL_WAIT_EXCEEDED,
                        "No SMTP connection became free"),
                        FailureKind.OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void classify_byValue(String what, Exception e, FailureKind expected) {
        assertThat(KnownFailures.classify(e)).isEqualTo(expected);
    }

    @Test
    void fix_connectRefusedToHostContaining4_3_2_connectionAdviceNotThrottle() {
        ConnectorSettings host = TestSettings.mailbox("a@example.com").set("smtp.host", "10.14.3.21").build();
        MessagingException e = new AdapterMessagingException(MessageId.SMTP_CONNECT_FAILED, "cannot open SMTP "
                + "connection to 10.14.3.21:587 (connect): java.net.ConnectException: Connection refused",
                new ConnectException("Connection refused"));
        assertThat(KnownFailures.fix(host, e)).startsWith("nothing accepts connections on 10.14.3.21:587")
                .doesNotContain("max-connections-per-mailbox");
        assertThat(KnownFailures.code(e)).isEqualTo("ConnectException");
    }

    @Test
    void classify_greetingRefused4_3_2_throttledWithCodeFromTheReply() {
        AdapterMessagingException e = new AdapterMessagingException(MessageId.SMTP_SESSION_REFUSED,
                "SMTP server h:587 refused the connection: 421 4.3.2 Service not available", 421,
                "421 4.3.2 Service not available", null);
        assertThat(KnownFailures.classify(e)).isEqualTo(FailureKind.THROTTLED);
        assertThat(KnownFailures.code(e)).isEqualTo("421 4.3.2");
        assertThat(KnownFailures.fix(s, e)).contains("oauth2mail.test.max-connections-per-mailbox");
    }

    @Test
    void code_wordingChange_sameCode() {
        AdapterMessagingException a = new AdapterMessagingException(MessageId.SMTP_MAIL_FROM_REJECTED, "x", 550,
                "550 5.7.60 SMTP; Client does not have permissions to send as this sender", null);
        AdapterMessagingException b = new AdapterMessagingException(MessageId.SMTP_MAIL_FROM_REJECTED,
                "reworded: 432 4.3.2 421 4.3.2", 550, "550 5.7.60 SMTP; Client does not have permissions", null);
        assertThat(KnownFailures.code(a)).isEqualTo("550 5.7.60").isEqualTo(KnownFailures.code(b));
        assertThat(KnownFailures.classify(b)).isEqualTo(KnownFailures.classify(a)).isEqualTo(FailureKind.OTHER);
    }

    @Test
    void classify_tokenExceptionCause_tokenWithIdpCodeAndCorrelation() {
        TokenException t = new TokenException(MessageId.TOKEN_REQUEST_REJECTED, TokenException.Kind.PERMANENT, "...",
                "AADSTS7000222", "corr-9", null);
        MessagingException e = new MessagingException(t.getMessage(), t);
        assertThat(KnownFailures.classify(e)).isEqualTo(FailureKind.TOKEN);
        assertThat(KnownFailures.code(e)).isEqualTo("AADSTS7000222");
        assertThat(KnownFailures.correlationId(e)).isEqualTo("corr-9");
        assertThat(KnownFailures.fix(s, e)).contains("expired").contains("oauth2mail.test.client-secret");
    }

    @Test
    void classify_tlsAndRefused_tlsAndConnectionWithFix() {
        MessagingException tls = new AdapterMessagingException(MessageId.SMTP_TLS_FAILED, "TLS with SMTP server h:465 "
                + "failed (connect): PKIX path building failed",
                new SSLHandshakeException("PKIX path building failed"));
        MessagingException refused = new AdapterMessagingException(MessageId.SMTP_CONNECT_FAILED, "cannot open SMTP "
                + "connection to h:1 (connect)", new ConnectException("Connection refused"));
        assertThat(KnownFailures.classify(tls)).isEqualTo(FailureKind.TLS);
        assertThat(KnownFailures.fix(s, tls)).contains("not trusted").contains("oauth2mail.test.trust-store-path");
        assertThat(KnownFailures.classify(refused)).isEqualTo(FailureKind.CONNECTION);
        assertThat(KnownFailures.fix(s, refused)).startsWith("nothing accepts connections on");
    }

    @Test
    void messageId_plainExceptionWhoseTextStartsWithAnId_notReadFromTheText() {
        MessagingException plain = new MessagingException("OAM261 SMTP server h:587 refused the connection: "
                + "421 4.3.2 x");
        assertThat(KnownFailures.messageId(plain)).isNull();
        assertThat(KnownFailures.messageId(new MessagingException("wrapped", new AdapterMessagingException(
                MessageId.SMTP_SESSION_REFUSED, "x", 421, "421 4.3.2 x", null))))
                .isEqualTo(MessageId.SMTP_SESSION_REFUSED);
    }
}
