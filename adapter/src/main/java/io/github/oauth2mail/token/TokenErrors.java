package io.github.oauth2mail.token;

import io.github.oauth2mail.config.Setting;
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
 * error code, correlation id and a hint naming the key to fix. Messages carry no secret and no token.
 */
final class TokenErrors {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    private static final Set<String> TRANSIENT_CODES = Set.of("temporarily_unavailable", "slow_down", "server_error");
    /** Codes meaning "this credential is wrong or expired": a secondary credential may help. */
    private static final Set<String> CREDENTIAL_REJECTED = Set.of("invalid_client", "AADSTS7000215", "AADSTS7000222",
            "AADSTS700027", "AADSTS7000214");
    private static final int MAX_DESCRIPTION = 300;

    private TokenErrors() {
    }

    /** True when {@code e} says the credential itself was rejected (wrong or expired secret/certificate). */
    static boolean credentialRejected(TokenException e) {
        return e.isPermanent() && e.errorCode() != null && CREDENTIAL_REJECTED.contains(e.errorCode());
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
        StringBuilder msg = new StringBuilder(transientError ? "OAM111" : "OAM112")
                .append(" Connector resource '").append(ctx.resource()).append("' got no access token from ")
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
        msg.append(": ").append(hint(ctx, code, error, status, wait));
        if (description != null && !description.isBlank()) {
            msg.append(" (identity provider said: ").append(shorten(description)).append(')');
        }
        return new TokenException(transientError ? TokenException.Kind.TRANSIENT : TokenException.Kind.PERMANENT,
                msg.toString(), code, correlationId, wait, cause);
    }

    /** The token endpoint could not be reached or did not answer in time. */
    static TokenException fromIo(SourceContext ctx, Throwable e) {
        String what = e instanceof SocketTimeoutException || e instanceof java.util.concurrent.TimeoutException
                ? "no answer in time (" + ctx.key(Setting.CONNECT_TIMEOUT_MS) + " / " + ctx.key(Setting.READ_TIMEOUT_MS) + ")"
                : e instanceof SSLException
                ? "TLS failed (" + e.getClass().getSimpleName() + "): check that " + ctx.key(Setting.TRUST_STORE_PATH)
                        + " (or the JVM trust store) trusts the token endpoint's certificate"
                : "cannot reach it (" + e.getClass().getSimpleName() + "): check network, proxy and host name";
        return new TokenException(TokenException.Kind.TRANSIENT, "OAM110 Connector resource '" + ctx.resource()
                + "' got no access token from " + ctx.describe() + ": " + what + "; retrying with back-off",
                "io_error", null, e);
    }

    /** A 2xx answer that is not a usable token (see {@link TokenResponses}). */
    static TokenException invalidResponse(SourceContext ctx, String what) {
        return new TokenException(TokenException.Kind.PERMANENT, "OAM113 Connector resource '" + ctx.resource()
                + "' got an unusable token response from " + ctx.describe() + ": " + what
                + "; check that the endpoint is an OAuth2 token endpoint", "invalid_token_response", null, null);
    }

    /** A local problem (key, file) that keeps a request from being made. */
    static TokenException local(SourceContext ctx, Setting key, String what, Throwable cause) {
        return new TokenException(TokenException.Kind.PERMANENT, "OAM114 Connector resource '" + ctx.resource()
                + "' cannot request an access token from " + ctx.describe() + ": " + what + "; check "
                + ctx.key(key), "local_error", null, cause);
    }

    static String aadsts(String description) {
        if (description == null) {
            return null;
        }
        Matcher m = AADSTS.matcher(description);
        return m.find() ? "AADSTS" + m.group(1) : null;
    }

    static String hint(SourceContext ctx, String code, String error, int status, Duration wait) {
        if (status == 429) {
            return "rate limited by the identity provider; retrying after " + (wait == null ? "a back-off" : wait.toSeconds() + " s");
        }
        if (status >= 500 || (error != null && TRANSIENT_CODES.contains(error))) {
            return "identity provider error; retrying with back-off";
        }
        String c = code == null ? "" : code;
        switch (c) {
            case "AADSTS7000215":
                return "client secret is wrong: check " + ctx.key(Setting.CLIENT_SECRET)
                        + " (use the secret's Value, not its ID)";
            case "AADSTS7000222":
                return "client secret expired: create a new one in the app registration and set "
                        + ctx.key(Setting.CLIENT_SECRET);
            case "AADSTS700016":
                return "application not found in tenant: check " + ctx.key(Setting.CLIENT_ID) + " and "
                        + ctx.key(Setting.TENANT_ID);
            case "AADSTS90002":
                return "tenant not found: check " + ctx.key(Setting.TENANT_ID);
            case "AADSTS700027":
            case "AADSTS7000214":
                return "the certificate is not accepted: upload it to the app registration or check "
                        + ctx.key(Setting.CERTIFICATE_PATH);
            case "AADSTS70021":
            case "AADSTS700211":
            case "AADSTS700024":
                return "the federated assertion is not accepted: check the federated credential (issuer, subject) of "
                        + "the app and that " + ctx.key(Setting.FEDERATED_TOKEN_FILE) + " is fresh";
            case "AADSTS1002012":
            case "AADSTS70011":
            case "invalid_scope":
                return "scope rejected: check " + ctx.key(Setting.SCOPE);
            case "invalid_client":
                return "client authentication failed: check " + ctx.key(Setting.CLIENT_ID) + " and the credential ("
                        + ctx.credential() + ")";
            case "unauthorized_client":
                return "the client may not use this grant: check the client's configuration at the identity provider and "
                        + ctx.key(Setting.GRANT_TYPE);
            case "invalid_grant":
                return "grant rejected (refresh token revoked or expired, or assertion not accepted): check "
                        + ctx.key(Setting.REFRESH_TOKEN) + " / " + ctx.key(Setting.SIGNING_KEY_PATH) + ", "
                        + ctx.key(Setting.JWT_ISSUER) + " and that the mailbox may be impersonated";
            case "invalid_request":
                return "request rejected as malformed: check " + ctx.key(Setting.TOKEN_ENDPOINT) + " / "
                        + ctx.key(Setting.AUTHORITY) + " and " + ctx.key(Setting.CLIENT_AUTH);
            case "unsupported_grant_type":
                return "grant not supported by this endpoint: check " + ctx.key(Setting.GRANT_TYPE);
            default:
                return "rejected by the identity provider: check the settings of resource '" + ctx.resource() + "'";
        }
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
