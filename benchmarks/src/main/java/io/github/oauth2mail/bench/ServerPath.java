package io.github.oauth2mail.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The connector inside an application server (Payara Micro, WildFly, Open Liberty), through the server's JCA pool: the
 * sends happen in the benchmark WAR's servlet ({@code SendServlet}, the same {@link Measure} loop and message as every
 * other path); one measurement is one HTTP request. The server is started by {@link PayaraBench}, {@link WildFlyBench}
 * or {@link LibertyBench} in {@link BenchMain}; this JVM only learns its URL ({@code bench.<server>.url}).
 */
final class ServerPath implements Workload.Path {

    private final URI send;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServerPath(URI send) {
        this.send = send;
    }

    /** The server of an in-server path ({@code PAYARA}, {@code WILDFLY}, {@code LIBERTY}), from {@code bench.<kind>.url}. */
    static ServerPath of(Senders.Kind kind) {
        String property = "bench." + kind.name().toLowerCase(java.util.Locale.ROOT) + ".url";
        String url = System.getProperty(property);
        if (url == null || url.isEmpty()) {
            throw new IllegalStateException(kind + " is not running (no " + property + ")");
        }
        return at(url);
    }

    /** The benchmark WAR at {@code url} ({@link BenchServer#url()}). */
    static ServerPath at(String url) {
        return new ServerPath(URI.create(url + "/send"));
    }

    @Override
    public Workload.Sender newSender() {
        throw new UnsupportedOperationException("an in-server path sends inside the server: use measure()");
    }

    @Override
    public Measure.Result measure(int threads, double warmupSeconds, int windows, double windowSeconds, long sinkPid)
            throws Exception {
        if (windows != 1) {
            throw new IllegalArgumentException("an in-server path measures one window per request");
        }
        URI uri = URI.create(send + String.format(Locale.ROOT, "?threads=%d&warmup=%s&window=%s&sinkPid=%d", threads,
                warmupSeconds, windowSeconds, sinkPid));
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds((long) (warmupSeconds + windowSeconds) + 120)).GET().build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("the benchmark servlet answered " + resp.statusCode() + ": "
                    + resp.body().substring(0, Math.min(500, resp.body().length())));
        }
        return Measure.Result.parse(resp.body());
    }
}
