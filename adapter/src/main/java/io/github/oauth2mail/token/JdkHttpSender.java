package io.github.oauth2mail.token;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import io.github.oauth2mail.config.ConnectorSettings;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Sends the generic source's token requests with {@link HttpClient} instead of {@code HttpURLConnection}, whose
 * {@code sun.net.www.protocol.http.HttpURLConnection} logger writes every request header at FINE: with
 * {@code client_secret_basic} that is the client secret (base64 in {@code Authorization: Basic}). HttpClient logs
 * headers only when a system property asks for it. HTTP/1.1, no redirects, host name checked, finite timeouts.
 */
final class JdkHttpSender implements HTTPRequestSender {

    /** Headers HttpClient sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private volatile HttpClient client; // null once closed
    private final Duration requestTimeout;
    private final ConnectorSettings.TokenProxy proxy;
    /** {@code Proxy-Authorization} value for the explicit proxy, or null; never logged or shown. */
    private final String proxyAuthorization;

    JdkHttpSender(SSLContext ssl, int connectTimeoutMs, int readTimeoutMs) {
        this(ssl, connectTimeoutMs, readTimeoutMs, null);
    }

    /** @param proxy the explicit proxy ({@code proxy-host}), or null for the JVM's proxy settings */
    JdkHttpSender(SSLContext ssl, int connectTimeoutMs, int readTimeoutMs, ConnectorSettings.TokenProxy proxy) {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofMillis(connectTimeoutMs))
                .executor(shortLivedThreads());
        this.proxy = proxy;
        if (proxy != null) {
            // unresolved: the name is resolved when connecting, so a changed proxy address is followed
            b.proxy(ProxySelector.of(InetSocketAddress.createUnresolved(proxy.host(), proxy.port())));
            this.proxyAuthorization = proxy.user() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                    (proxy.user() + ":" + proxy.password().reveal()).getBytes(StandardCharsets.UTF_8));
        } else {
            this.proxyAuthorization = null;
            // as HttpURLConnection did: the JVM's proxy settings (https.proxyHost, ...) and proxy credentials
            if (ProxySelector.getDefault() != null) {
                b.proxy(ProxySelector.getDefault());
            }
            if (Authenticator.getDefault() != null) {
                b.authenticator(Authenticator.getDefault());
            }
        }
        this.client = buildWithNeutralContextLoader(b);
        // HttpClient's request timeout also runs during connect and TLS handshake; HttpURLConnection's read timeout
        // started after them. Allow both, so a slow handshake does not eat the read timeout.
        this.requestTimeout = Duration.ofMillis((long) connectTimeoutMs + readTimeoutMs);
    }

    /**
     * Builds the client with the platform class loader as the thread's context class loader. The client's selector
     * thread ({@code HttpClient-N-SelectorManager}) and, through it, the executor's threads inherit the context class
     * loader of the thread that builds the client: left as it is (the deploying thread's, or an application's), a
     * selector thread that outlives an undeployment would keep that class loader, and every class and static it
     * reaches, alive.
     */
    private static HttpClient buildWithNeutralContextLoader(HttpClient.Builder b) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            return b.build();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /**
     * HttpClient's default executor keeps idle threads for 60 s and Java 17's HttpClient cannot be closed: these
     * daemon threads end 1 s after their last task, so nothing lingers after the resource stops.
     */
    private static ThreadPoolExecutor shortLivedThreads() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "oauth2mail-http-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(ClassLoader.getPlatformClassLoader());
            return t;
        });
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        HttpResponse<String> r = exchange(request.getMethod().name(), request.getURI(), request.getHeaderMap(),
                request.getBody());
        HTTPResponse out = new HTTPResponse(r.statusCode());
        r.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                out.setHeader(name, values.toArray(new String[0]));
            }
        });
        out.setBody(r.body());
        return out;
    }

    /**
     * Sends one request (Nimbus's, or MSAL4J's through {@link MsalHttpClient}). With an explicit proxy that has a
     * user, {@code Proxy-Authorization: Basic} goes with every request: HttpClient copies it into the
     * {@code CONNECT} that opens the tunnel (only when the JVM allows Basic for tunnelling, see
     * {@link TokenProxies#basicAllowedForTunnels()}) and never into the request inside the tunnel.
     *
     * @throws ProxyRefused when the proxy answers 407
     */
    HttpResponse<String> exchange(String method, URI uri, Map<String, List<String>> headers, String body)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout);
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!RESTRICTED.contains(name) && !"proxy-authorization".equals(name)) {
                for (String v : h.getValue()) {
                    b.header(h.getKey(), v);
                }
            }
        }
        if (proxyAuthorization != null) {
            b.header("Proxy-Authorization", proxyAuthorization);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r;
        try {
            HttpClient c = client;
            if (c == null) {
                throw new java.io.IOException("the token HTTP client was closed: the connector resource stopped");
            }
            r = c.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            SocketTimeoutException t = new SocketTimeoutException(e.getMessage());
            t.initCause(e);
            throw t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException i = new InterruptedIOException("interrupted while waiting for the token endpoint");
            i.initCause(e);
            throw i;
        }
        if (r.statusCode() == 407) {
            throw new ProxyRefused(proxy, proxyAuthorization != null);
        }
        return r;
    }

    /**
     * The proxy answered {@code 407 Proxy Authentication Required}: no or wrong proxy credentials. Carries no
     * credential; {@link TokenErrors#fromIo} turns it into {@link io.github.oauth2mail.failure.MessageId#TOKEN_PROXY_REJECTED}.
     */
    static final class ProxyRefused extends IOException {

        private static final long serialVersionUID = 1L;

        private final transient ConnectorSettings.TokenProxy proxy;
        private final boolean credentialsSent;

        ProxyRefused(ConnectorSettings.TokenProxy proxy, boolean credentialsSent) {
            super("proxy " + (proxy == null ? "(JVM proxy settings)" : proxy.address())
                    + " answered 407 Proxy Authentication Required");
            this.proxy = proxy;
            this.credentialsSent = credentialsSent;
        }

        /** The explicit proxy, or null when the JVM's proxy settings chose it. */
        ConnectorSettings.TokenProxy proxy() {
            return proxy;
        }

        /** Whether {@code proxy-user}/{@code proxy-password} were configured and sent. */
        boolean credentialsSent() {
            return credentialsSent;
        }
    }

    /** Drops the HTTP client (see {@link TokenSource#close()}); later sends fail with an IOException. */
    void close() {
        client = null;
    }
}
