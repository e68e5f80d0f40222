package io.github.oauth2mail.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Calls the sample app's REST endpoints the way curl would. */
public final class SampleAppClient {

    /** An HTTP answer: status and text body. */
    public record Reply(int status, String body) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public SampleAppClient(URI base) {
        this.base = base;
    }

    /** {@code POST /api/mail?to=..&subject=..} with a text body. */
    public Reply send(String to, String subject, String body) {
        URI uri = URI.create(base + "/api/mail?to=" + encode(to) + "&subject=" + encode(subject));
        return call(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "text/plain; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    /** {@code GET /api/inbox}: one subject a line. */
    public Reply inbox() {
        return call(HttpRequest.newBuilder(URI.create(base + "/api/inbox")).timeout(Duration.ofSeconds(90)).GET()
                .build());
    }

    /** {@code GET /api/inbox?protocol=...}: the same through another store protocol, e.g. {@code pop3s}. */
    public Reply inbox(String protocol) {
        return call(HttpRequest.newBuilder(URI.create(base + "/api/inbox?protocol=" + protocol))
                .timeout(Duration.ofSeconds(90)).GET().build());
    }

    private Reply call(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
