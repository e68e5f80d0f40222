package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.Advice;
import io.github.oauth2mail.failure.Facts;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.TokenException;
import jakarta.mail.MessagingException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Sorts failures of a connector resource into {@link FailureKind}s, gives the code an admin searches for (the
 * identity provider's error code, or the mail server's reply code with its enhanced status) and the fix from the one
 * advice table ({@link Advice}). Decides on values only: the failure's {@link MessageId}, the server's reply code and
 * enhanced status, and the types of the exceptions in the cause chain; never on message text. Never reads or prints
 * a secret.
 */
public final class KnownFailures {

    private KnownFailures() {
    }

    /** What {@code e} (a send, connect, store or token failure) was about. */
    public static FailureKind classify(Throwable e) {
        MailFailure failure = MailFailure.in(e);
        if (failure != null) {
            FailureKind byReply = byReply(failure);
            if (byReply != null) {
                return byReply;
            }
        }
        MessageId id = messageId(e);
        if (id != null) {
            return id.kind();
        }
        if (find(e, SSLException.class) != null) {
            return FailureKind.TLS;
        }
        if (find(e, ConnectException.class) != null || find(e, UnknownHostException.class) != null
                || find(e, NoRouteToHostException.class) != null || find(e, SocketTimeoutException.class) != null) {
            return FailureKind.CONNECTION;
        }
        return FailureKind.OTHER;
    }

    /** THROTTLED or QUOTA when the server's reply says so; else null. */
    private static FailureKind byReply(MailFailure f) {
        String es = f.enhancedStatus();
        if (f.replyCode() == 432 || "4.3.2".equals(es)) {
            return FailureKind.THROTTLED;
        }
        String reply = f.serverReply();
        if (f.replyCode() == 554 && "5.2.0".equals(es) || reply != null && reply.contains("SubmissionQuotaExceeded")) {
            return FailureKind.QUOTA;
        }
        return null;
    }

    /**
     * The message ID of {@code e}: that of the first adapter exception in its cause chain (every adapter exception
     * carries its ID from construction; the message text is never read), or null.
     */
    public static MessageId messageId(Throwable e) {
        MailFailure f = MailFailure.in(e);
        return f == null ? null : f.messageId();
    }

    /**
     * The code to search for: the identity provider's error code (e.g. {@code AADSTS7000215}, {@code invalid_client}),
     * the mail server's reply code with its enhanced status (e.g. {@code 535 5.7.3}), or the network error's class
     * name; or null.
     */
    public static String code(Throwable e) {
        TokenException te = find(e, TokenException.class);
        if (te != null && te.errorCode() != null) {
            return te.errorCode();
        }
        MailFailure f = MailFailure.in(e);
        if (f != null && f.replyCode() > 0) {
            return f.enhancedStatus() == null ? String.valueOf(f.replyCode()) : f.replyCode() + " " + f.enhancedStatus();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // the network or TLS error underneath (e.g. ConnectException); an adapter or mail exception has no such code
        return root instanceof MailFailure || root instanceof MessagingException ? null : root.getClass().getSimpleName();
    }

    /** The identity provider's correlation id, or null. */
    public static String correlationId(Throwable e) {
        TokenException te = find(e, TokenException.class);
        return te == null ? null : te.correlationId();
    }

    /** What the admin should do about {@code e}, or null when nothing is known about it. */
    public static String fix(ConnectorSettings s, Throwable e) {
        Facts f = facts(s);
        FailureKind kind = classify(e);
        if (kind == FailureKind.TOKEN) {
            return Advice.forToken(f, code(e));
        }
        MessageId id = messageId(e);
        MailFailure mf = MailFailure.in(e);
        if (id != null && mf != null) {
            String server = Advice.forMailServer(f, id, kind, mf.replyCode(), mf.enhancedStatus(), tokenRejected(mf));
            if (server != null) {
                return server;
            }
        }
        if (kind == FailureKind.TLS && (id == null || id == MessageId.SMTP_TLS_FAILED)) {
            return Advice.forTls(f, hostNameMismatch(e));
        }
        if (kind == FailureKind.CONNECTION && (id == null || id == MessageId.SMTP_CONNECT_FAILED)) {
            return smtpConnectionFix(f, e);
        }
        return id == null ? null : Advice.of(f, id, kind, -1, null, false);
    }

    /** The fix for an identity provider error code, or a generic one naming the keys. */
    public static String tokenFix(ConnectorSettings s, String code) {
        return Advice.forToken(facts(s), code);
    }

    /** What advice may name about resource {@code s}. */
    static Facts facts(ConnectorSettings s) {
        return new Facts(s.name(), s.mailbox(), s.clientId(), s.tenantId(), s.smtpHost(), s.smtpPort(),
                String.valueOf(s.saslMechanism()), s.credential() == null ? null
                : s.credential().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    private static boolean tokenRejected(MailFailure f) {
        return f instanceof io.github.oauth2mail.transport.SmtpAuthenticationException
                && ((io.github.oauth2mail.transport.SmtpAuthenticationException) f).tokenRejected();
    }

    /** The JDK reports a certificate that does not name the host as a bare CertificateException, not a path error. */
    private static boolean hostNameMismatch(Throwable e) {
        return find(e, CertificateException.class) != null && find(e, CertPathBuilderException.class) == null
                && find(e, CertPathValidatorException.class) == null
                && find(e, CertificateException.class).getClass() == CertificateException.class;
    }

    private static String smtpConnectionFix(Facts f, Throwable e) {
        if (find(e, UnknownHostException.class) != null) {
            return Advice.forUnknownHost(f);
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return Advice.of(f, MessageId.SMTP_NO_ANSWER, FailureKind.CONNECTION, -1, null, false);
        }
        if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null) {
            return Advice.of(f, MessageId.SMTP_CONNECT_FAILED, FailureKind.CONNECTION, -1, null, false);
        }
        return Advice.of(f, MessageId.SMTP_SESSION_REFUSED, FailureKind.CONNECTION, -1, null, false);
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
