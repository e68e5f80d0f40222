package io.github.oauth2mail.graph;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The one {@link HttpClient} of a connector resource in Graph mode: HTTP/2 (HTTP/1.1 when the server does not offer
 * it), the resource's trust store, host name checked (the JDK default), no redirects, the connect timeout of
 * {@code connect-timeout-ms} and a request timeout of connect + read timeout. Built with the platform class loader as
 * context class loader and with daemon threads that end 1 s after their last task, so nothing pins an undeployed
 * application (as the token client does). Response bodies are read up to {@link #MAX_BODY} bytes.
 */
final class GraphHttp {

    /** Graph's answers to sendMail and friends are small JSON documents; more than this is cut. */
    static final int MAX_BODY = 64 * 1024;

    private final HttpClient client;
    private final Duration requestTimeout;

    GraphHttp(SSLContext ssl, Duration connectTimeout, Duration readTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).executor(threads());
        if (ProxySelector.getDefault() != null) {
            b.proxy(ProxySelector.getDefault());
        }
        if (Authenticator.getDefault() != null) {
            b.authenticator(Authenticator.getDefault());
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            this.client = b.build();
        } finally {
            t.setContextClassLoader(previous);
        }
        this.requestTimeout = connectTimeout.plus(readTimeout);
    }

    private static ThreadPoolExecutor threads() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "oauth2mail-graph-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(ClassLoader.getPlatformClassLoader());
            return t;
        });
    }

    /** An unauthenticated {@code GET}: any answer proves the path, TLS and the server's identity. */
    HttpRequest probe(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
    }

    /** A request with the bearer token and, when {@code body} is not null, that body of {@code contentType}. */
    HttpRequest request(String method, URI uri, String token, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType).method(method,
                    HttpRequest.BodyPublishers.ofString(body, StandardCharsets.US_ASCII));
        }
        return b.build();
    }

    /**
     * A {@code PUT} of bytes {@code start..start+length-1} of {@code total} to an attachment upload session's
     * {@code uploadUrl}: no {@code Authorization} header (the URL is pre-authenticated, as Microsoft documents),
     * {@code Content-Type: application/octet-stream}, {@code Content-Range: bytes start-end/total}; the client sets
     * {@code Content-Length} from the body.
     */
    HttpRequest upload(URI uploadUrl, byte[] chunk, int length, long start, long total) {
        return HttpRequest.newBuilder(uploadUrl).timeout(requestTimeout)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + total)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk, 0, length)).build();
    }

    /** Sends {@code request}; the answer's body is read up to {@link #MAX_BODY} bytes. */
    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        }
        return new Answer(r.statusCode(), body, r.headers().firstValue("Retry-After"),
                r.headers().firstValue("request-id"));
    }

    /** A Graph answer: status, body (bounded), {@code Retry-After} and Graph's {@code request-id}. */
    record Answer(int status, String body, Optional<String> retryAfter, Optional<String> requestId) {
    }
}
