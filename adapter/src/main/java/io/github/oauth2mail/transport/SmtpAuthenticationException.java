package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.Advice;
import io.github.oauth2mail.failure.Facts;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.failure.ServerReplies;
import jakarta.mail.AuthenticationFailedException;

/**
 * The SMTP server did not accept AUTH ({@link MessageId#SMTP_AUTH_FAILED}). Carries the server's reply, its code and
 * enhanced status, the OAuth2 error status it sent (if any) and the likely fix; never the token.
 */
public final class SmtpAuthenticationException extends AuthenticationFailedException implements MailFailure {

    private static final long serialVersionUID = 1L;

    private final Attempt attempt;
    private final int replyCode;
    private final String serverReply;
    private final String enhancedStatus;
    private final String oauthStatus;
    private final boolean tokenRejected;

    /** What was tried and what the server said: the parts the message is built from. */
    private record Attempt(String host, int port, String mailbox, String mechanism, String error)
            implements java.io.Serializable {
    }

    private SmtpAuthenticationException(Attempt attempt, int replyCode, String serverReply, String oauthStatus,
                                        boolean tokenRejected, boolean afterFreshToken) {
        super(message(attempt, serverReply, tokenRejected, afterFreshToken, ServerReplies.enhancedStatus(serverReply),
                replyCode));
        this.attempt = attempt;
        this.replyCode = replyCode;
        this.serverReply = serverReply;
        this.enhancedStatus = ServerReplies.enhancedStatus(serverReply);
        this.oauthStatus = oauthStatus;
        this.tokenRejected = tokenRejected;
    }

    static SmtpAuthenticationException failed(String host, int port, String mailbox, String mechanism, SmtpReply reply,
                                              OAuthErrorChallenge error) {
        boolean rejected = reply.code() == 535 || error != null;
        return new SmtpAuthenticationException(new Attempt(host, port, mailbox, mechanism,
                error == null ? null : error.toString()), reply.code(), reply.toString(),
                error == null ? null : error.status(), rejected, false);
    }

    /** The same failure, reported after a freshly fetched token was rejected too. */
    SmtpAuthenticationException afterFreshToken(SmtpAuthenticationException first) {
        SmtpAuthenticationException e = new SmtpAuthenticationException(attempt, replyCode, serverReply, oauthStatus,
                tokenRejected, true);
        e.addSuppressed(first);
        return e;
    }

    private static String message(Attempt a, String reply, boolean rejected, boolean afterFreshToken,
                                  String enhancedStatus, int replyCode) {
        String what = !rejected ? "refused AUTH " + a.mechanism()
                : "did not accept the " + a.mechanism() + " access token" + (afterFreshToken ? ", nor a freshly fetched one," : "");
        FailureKind kind = "4.3.2".equals(enhancedStatus) ? FailureKind.THROTTLED : FailureKind.AUTH;
        String advice = Advice.of(Facts.of(a.mailbox(), a.host(), a.port(), a.mechanism()), MessageId.SMTP_AUTH_FAILED,
                kind, replyCode, enhancedStatus, rejected);
        return MessageId.SMTP_AUTH_FAILED.message("SMTP server " + a.host() + ":" + a.port() + " " + what
                + " for mailbox " + a.mailbox() + ": " + reply + (a.error() == null ? "" : " (OAuth2 error: "
                + a.error() + ")") + ". Likely fix: " + advice);
    }

    @Override
    public MessageId messageId() {
        return MessageId.SMTP_AUTH_FAILED;
    }

    /** The reply code of the final AUTH reply, e.g. 535. */
    @Override
    public int replyCode() {
        return replyCode;
    }

    /** The enhanced status of the final AUTH reply, e.g. {@code 5.7.3}, or null. */
    @Override
    public String enhancedStatus() {
        return enhancedStatus;
    }

    /** The server's final reply, e.g. {@code 535 5.7.3 Authentication unsuccessful}. */
    @Override
    public String serverReply() {
        return serverReply;
    }

    /** The {@code status} of the server's OAuth2 error challenge (e.g. {@code 401}), or null when it sent none. */
    public String oauthStatus() {
        return oauthStatus;
    }

    /** True when the server rejected the token itself (535 or an OAuth2 error challenge): a fresh token may help. */
    public boolean tokenRejected() {
        return tokenRejected;
    }
}
