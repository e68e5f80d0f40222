package io.github.oauth2mail.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The connector inside Payara Micro, through the server's JCA pool: the sends happen in the benchmark WAR's servlet
 * ({@code SendServlet}, the same {@link Measure} loop and message as every other path); one measurement is one HTTP
 * request. Payara is started by {@link PayaraBench}; this JVM only learns its URL ({@code bench.payara.url}).
 */
final class PayaraPath implements Workload.Path {

    private final URI send;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private PayaraPath(URI send) {
        this.send = send;
    }

    static PayaraPath fromSystemProperties() {
        String url = System.getProperty("bench.payara.url");
        if (url == null || url.isEmpty()) {
            throw new IllegalStateException("Payara Micro is not running (no bench.payara.url)");
        }
        return at(url);
    }

    /** The benchmark WAR at {@code url} ({@link PayaraBench#url()}). */
    static PayaraPath at(String url) {
        return new PayaraPath(URI.create(url + "/send"));
    }

    @Override
    public Workload.Sender newSender() {
        throw new UnsupportedOperationException("the Payara path sends inside Payara: use measure()");
    }

    @Override
    public Measure.Result measure(int threads, double warmupSeconds, int windows, double windowSeconds, long sinkPid)
            throws Exception {
        if (windows != 1) {
            throw new IllegalArgumentException("the Payara path measures one window per request");
        }
        URI uri = URI.create(send + String.format(Locale.ROOT, "?threads=%d&warmup=%s&window=%s&sinkPid=%d", threads,
                warmupSeconds, windowSeconds, sinkPid));
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds((long) (warmupSeconds + windowSeconds) + 120)).GET().build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("Payara benchmark servlet answered " + resp.statusCode() + ": "
                    + resp.body().substring(0, Math.min(500, resp.body().length())));
        }
        return Measure.Result.parse(resp.body());
    }
}
