package io.github.oauth2mail.token;

import com.microsoft.aad.msal4j.AuthenticationErrorCode;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.github.oauth2mail.config.ConnectorSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for an MSAL4J call with a bound and maps its result or failure. */
final class MsalCalls {

    /** Hosts of the Microsoft clouds, for which MSAL4J's instance discovery and authority validation stay on. */
    private static final Set<String> MICROSOFT_HOSTS = Set.of("login.microsoftonline.com", "login.microsoft.com",
            "login.windows.net", "sts.windows.net", "login.microsoftonline.us", "login.chinacloudapi.cn",
            "login.partner.microsoftonline.cn", "login.microsoftonline.de");

    private MsalCalls() {
    }

    /** True when the authority is a Microsoft cloud (MSAL4J may discover and validate it); false for local/test issuers. */
    static boolean isMicrosoftAuthority(String authority) {
        String host = URI.create(authority).getHost();
        return host != null && MICROSOFT_HOSTS.contains(host.toLowerCase(java.util.Locale.ROOT));
    }

    /** Longest wait for one MSAL4J call: connect + read timeout and a little slack. */
    static Duration callTimeout(ConnectorSettings s) {
        return s.connectTimeout().plus(s.readTimeout()).plusSeconds(5);
    }

    static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    static AccessToken await(SourceContext ctx, CompletableFuture<IAuthenticationResult> call, Duration timeout)
            throws TokenException {
        IAuthenticationResult r;
        try {
            r = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw TokenErrors.fromIo(ctx, e);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw TokenErrors.fromIo(ctx, e);
        } catch (ExecutionException e) {
            throw map(ctx, e.getCause() == null ? e : e.getCause());
        }
        Instant now = Instant.now();
        return TokenResponses.checkExpiry(ctx, r.accessToken(),
                r.expiresOnDate() == null ? null : r.expiresOnDate().toInstant(), now);
    }

    static TokenException map(SourceContext ctx, Throwable t) {
        Throwable e = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof FederatedAssertion.AssertionUnreadable) {
                return ((FederatedAssertion.AssertionUnreadable) c).toTokenException(ctx);
            }
        }
        String code = e instanceof MsalException ? ((MsalException) e).errorCode() : e.getClass().getSimpleName();
        if (AuthenticationErrorCode.HTTP_TIMEOUT.equals(code)) {
            return TokenErrors.fromIo(ctx, new java.net.SocketTimeoutException());
        }
        if (AuthenticationErrorCode.INVALID_JSON.equals(code)) {
            // MSAL4J gives no status here: an HTML error page from the endpoint or a proxy (502/503 during an outage)
            return new TokenException(TokenException.Kind.TRANSIENT, "OAM111 Connector resource '" + ctx.resource()
                    + "' got no access token from " + ctx.describe() + ": the answer is not JSON (an error page from "
                    + "the endpoint or a proxy?); retrying with back-off", code, null, null);
        }
        if (e instanceof MsalServiceException) {
            MsalServiceException m = (MsalServiceException) e;
            int status = m.statusCode() == null ? 0 : m.statusCode();
            return TokenErrors.fromResponse(ctx, status, m.errorCode(), m.getMessage(), m.correlationId(),
                    header(m.headers(), "Retry-After"), null);
        }
        Throwable io = TokenErrors.ioCause(e);
        if (io != null) {
            return TokenErrors.fromIo(ctx, io);
        }
        return TokenErrors.fromResponse(ctx, 0, code, e.getClass().getSimpleName(), null, null, null);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (name.equalsIgnoreCase(h.getKey()) && h.getValue() != null && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }
}
