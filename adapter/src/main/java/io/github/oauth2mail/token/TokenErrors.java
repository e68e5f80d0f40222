package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.Advice;
import io.github.oauth2mail.failure.Facts;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns identity provider answers and I/O failures into {@link TokenException}s: transient or permanent, with the
 * error code, correlation id and the advice (from the one table, {@link Advice}) naming the key to fix. Messages
 * carry no secret and no token.
 */
final class TokenErrors {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    private static final Set<String> TRANSIENT_CODES = Set.of("temporarily_unavailable", "slow_down", "server_error");
    /** Codes meaning "this credential is wrong or expired": a secondary credential may help. */
    private static final Set<String> CREDENTIAL_REJECTED = Set.of("invalid_client", "AADSTS7000215", "AADSTS7000222",
            "AADSTS700027", "AADSTS7000214");
    /** Further codes after which the configured credentials are read again (a changed one may fix them). */
    private static final Set<String> RELOAD_CREDENTIALS = Set.of("unauthorized_client", "invalid_grant");
    private static final int MAX_DESCRIPTION = 300;

    private TokenErrors() {
    }

    /** True when {@code e} says the credential itself was rejected (wrong or expired secret/certificate). */
    static boolean credentialRejected(TokenException e) {
        return e.isPermanent() && e.errorCode() != null && CREDENTIAL_REJECTED.contains(e.errorCode());
    }

    /**
     * True when the configured credentials should be read again at once: the credential was rejected (see
     * {@link #credentialRejected}), the client is not authorized or the grant (refresh token) was refused, or a local
     * key or certificate file could not be used. Decided on the typed code and message ID, never on message text.
     */
    static boolean reloadCredentials(TokenException e) {
        if (credentialRejected(e) || e.messageId() == MessageId.TOKEN_REQUEST_LOCAL_PROBLEM) {
            return true;
        }
        return e.isPermanent() && e.errorCode() != null && RELOAD_CREDENTIALS.contains(e.errorCode());
    }

    /**
     * An error answer of the token endpoint.
     *
     * @param status      HTTP status (0 if unknown)
     * @param error       OAuth2 {@code error}, or null
     * @param description {@code error_description} (may hold an AADSTS code), or null
     * @param retryAfter  {@code Retry-After} header value, or null
     */
    static TokenException fromResponse(SourceContext ctx, int status, String error, String description,
                                       String correlationId, String retryAfter, Throwable cause) {
        String aadsts = aadsts(description);
        String code = aadsts != null ? aadsts : error;
        boolean transientError = status == 429 || status == 408 || status >= 500
                || (error != null && TRANSIENT_CODES.contains(error));
        Duration wait = transientError ? parseRetryAfter(retryAfter, Instant.now()) : null;
        MessageId id = transientError ? MessageId.TOKEN_PROVIDER_UNAVAILABLE : MessageId.TOKEN_REQUEST_REJECTED;
        StringBuilder msg = new StringBuilder("Connector resource '").append(ctx.resource()).append("' got no access token from ")
                .append(ctx.describe()).append(':');
        if (status > 0) {
            msg.append(" HTTP ").append(status);
        }
        if (error != null) {
            msg.append(' ').append(error);
        }
        if (aadsts != null) {
            msg.append(' ').append(aadsts);
        }
        if (correlationId != null) {
            msg.append(" [correlation id ").append(correlationId).append(']');
        }
        msg.append(": ").append(Advice.forTokenResponse(facts(ctx), code, transientError, status, wait));
        if (description != null && !description.isBlank()) {
            msg.append(" (identity provider said: ").append(shorten(description)).append(')');
        }
        return new TokenException(id, transientError ? TokenException.Kind.TRANSIENT : TokenException.Kind.PERMANENT,
                msg.toString(), code, correlationId, wait, cause);
    }

    /** The token endpoint could not be reached or did not answer in time. */
    static TokenException fromIo(SourceContext ctx, Throwable e) {
        if (e instanceof JdkHttpSender.ProxyRefused) {
            return TokenProxies.rejected(ctx, (JdkHttpSender.ProxyRefused) e);
        }
        String what = e instanceof SocketTimeoutException || e instanceof java.util.concurrent.TimeoutException
                ? "no answer in time (" + ctx.key(Setting.CONNECT_TIMEOUT_MS) + " / " + ctx.key(Setting.READ_TIMEOUT_MS) + ")"
                : e instanceof SSLException
                ? "TLS failed (" + e.getClass().getSimpleName() + "): check that " + ctx.key(Setting.TRUST_STORE_PATH)
                        + " (or the JVM trust store) trusts the token endpoint's certificate"
                : "cannot reach it (" + e.getClass().getSimpleName() + "): check network, proxy and host name";
        return new TokenException(MessageId.TOKEN_ENDPOINT_UNREACHABLE, TokenException.Kind.TRANSIENT,
                "Connector resource '" + ctx.resource() + "' got no access token from " + ctx.describe() + ": " + what
                + "; retrying with back-off", "io_error", null, null, e);
    }

    /** A 2xx answer that is not a usable token (see {@link TokenResponses}). */
    static TokenException invalidResponse(SourceContext ctx, String what) {
        return new TokenException(MessageId.TOKEN_RESPONSE_UNUSABLE, TokenException.Kind.PERMANENT,
                "Connector resource '" + ctx.resource() + "' got an unusable token response from " + ctx.describe()
                + ": " + what + "; check that the endpoint is an OAuth2 token endpoint", "invalid_token_response",
                null, null, null);
    }

    /** A local problem (key, file) that keeps a request from being made. */
    static TokenException local(SourceContext ctx, Setting key, String what, Throwable cause) {
        return new TokenException(MessageId.TOKEN_REQUEST_LOCAL_PROBLEM, TokenException.Kind.PERMANENT,
                "Connector resource '" + ctx.resource() + "' cannot request an access token from " + ctx.describe()
                + ": " + what + "; check " + ctx.key(key), "local_error", null, null, cause);
    }

    static String aadsts(String description) {
        if (description == null) {
            return null;
        }
        Matcher m = AADSTS.matcher(description);
        return m.find() ? "AADSTS" + m.group(1) : null;
    }

    /** What advice may name about the resource of {@code ctx}. */
    static Facts facts(SourceContext ctx) {
        ConnectorSettings st = ctx.settings();
        return new Facts(st.name(), st.mailbox(), st.clientId(), st.tenantId(), st.smtpHost(), st.smtpPort(),
                String.valueOf(st.saslMechanism()), ctx.credential());
    }

    /** {@code Retry-After} as seconds or HTTP date; null when absent or unreadable. Capped at one hour. */
    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    /** First I/O exception in the cause chain, or null. */
    static Throwable ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return c;
            }
        }
        return null;
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > MAX_DESCRIPTION ? one.substring(0, MAX_DESCRIPTION) + "..." : one;
    }
}
