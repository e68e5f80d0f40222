package io.github.oauth2mail.token;

import com.microsoft.aad.msal4j.AuthenticationErrorCode;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.MessageId;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs MSAL4J calls on a small executor of their own and waits for each at most {@link #callTimeout}: MSAL4J's HTTP
 * connect and read timeouts bound each read, not a slowly trickling answer, so without this bound the identity
 * provider would decide how long a fetch takes. Maps the result or failure.
 */
final class MsalCalls {

    /** MSAL4J calls of one application that may run at once, including ones given up after {@link #callTimeout}. */
    static final int THREADS = 2;

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

    /**
     * Longest wait for one MSAL4J call: it makes at most two requests (instance metadata, then the token), each
     * allowed connect + read timeout.
     */
    static Duration callTimeout(ConnectorSettings s) {
        return s.connectTimeout().plus(s.readTimeout()).multipliedBy(2);
    }

    /**
     * The executor of one MSAL4J application ({@code executorService(...)}): at most {@link #THREADS} daemon threads
     * that end 1 s after their last call, so nothing lingers after the resource stops. A call given up after
     * {@link #callTimeout} keeps its thread until MSAL4J's own timeouts end it; when all threads are taken by such
     * calls, a new call is refused at once ({@link #map}: no answer in time) instead of piling up threads.
     */
    static ExecutorService executor() {
        AtomicInteger n = new AtomicInteger();
        ClassLoader msal = MsalCalls.class.getClassLoader();
        return new ThreadPoolExecutor(0, THREADS, 1, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "oauth2mail-msal-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(msal); // not the deploying or sending application's
            return t;
        });
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
        if (e instanceof RejectedExecutionException) {
            // every thread still waits for an earlier call that was given up after callTimeout
            return TokenErrors.fromIo(ctx, new TimeoutException("earlier calls still wait for an answer"));
        }
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
            return new TokenException(MessageId.TOKEN_PROVIDER_UNAVAILABLE, TokenException.Kind.TRANSIENT,
                    "Connector resource '" + ctx.resource()
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
