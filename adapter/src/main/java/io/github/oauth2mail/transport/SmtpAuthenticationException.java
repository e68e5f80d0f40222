package io.github.oauth2mail.transport;

import jakarta.mail.AuthenticationFailedException;

/**
 * The SMTP server did not accept AUTH. Carries the server's reply, the OAuth2 error status it sent (if any) and the
 * likely fix; never the token.
 */
public final class SmtpAuthenticationException extends AuthenticationFailedException {

    private static final long serialVersionUID = 1L;

    private final int replyCode;
    private final String serverReply;
    private final String oauthStatus;
    private final boolean tokenRejected;

    private SmtpAuthenticationException(String message, int replyCode, String serverReply, String oauthStatus,
                                        boolean tokenRejected) {
        super(message);
        this.replyCode = replyCode;
        this.serverReply = serverReply;
        this.oauthStatus = oauthStatus;
        this.tokenRejected = tokenRejected;
    }

    static SmtpAuthenticationException failed(String host, int port, String mailbox, String mechanism, SmtpReply reply,
                                              OAuthErrorChallenge error) {
        boolean rejected = reply.code() == 535 || error != null;
        String what = rejected ? "did not accept the " + mechanism + " access token" : "refused AUTH " + mechanism;
        String msg = "OAM202 SMTP server " + host + ":" + port + " " + what + " for mailbox " + mailbox + ": " + reply
                + (error == null ? "" : " (OAuth2 error: " + error + ")") + ". Likely fix: " + advice(reply, rejected);
        return new SmtpAuthenticationException(msg, reply.code(), reply.toString(),
                error == null ? null : error.status(), rejected);
    }

    /** The same failure, reported after a freshly fetched token was rejected too. */
    SmtpAuthenticationException afterFreshToken(SmtpAuthenticationException first) {
        SmtpAuthenticationException e = new SmtpAuthenticationException(getMessage().replaceFirst(
                "did not accept the (\\S+) access token", "did not accept the $1 access token, nor a freshly fetched one,"),
                replyCode, serverReply, oauthStatus, tokenRejected);
        e.addSuppressed(first);
        return e;
    }

    static String advice(SmtpReply reply, boolean tokenRejected) {
        String r = reply.toString();
        if (r.contains("5.7.139")) {
            return "SMTP AUTH is disabled for the tenant or mailbox: enable authenticated SMTP in Exchange admin "
                    + "(Set-CASMailbox -SmtpClientAuthenticationDisabled $false, or the organisation-wide setting)";
        }
        if (r.contains("5.7.3")) {
            return "token not accepted: check the app's SMTP.SendAsApp permission (with admin consent), the service "
                    + "principal in Exchange (New-ServicePrincipal) and the mailbox permission (Add-MailboxPermission)";
        }
        if (tokenRejected) {
            return "check that the token's scope/audience is for this mail server, that the app may act as this "
                    + "mailbox, and the server's log";
        }
        if (reply.isTemporary()) {
            return "temporary server condition: retry later";
        }
        return "check that the server supports this SASL mechanism on this port";
    }

    /** The reply code of the final AUTH reply, e.g. 535. */
    public int replyCode() {
        return replyCode;
    }

    /** The server's final reply, e.g. {@code 535 5.7.3 Authentication unsuccessful}. */
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
