package io.github.oauth2mail.token;

import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.HttpResponse;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MSAL4J's HTTP calls through {@link JdkHttpSender} when an explicit proxy is configured: MSAL4J's own client
 * ({@code HttpsURLConnection}) can take a {@code java.net.Proxy} but proxy credentials only from the JVM-wide
 * {@code Authenticator}, which would hand them to every application on the server. The sender carries the resource's
 * TLS context, timeouts and proxy credentials itself.
 */
final class MsalHttpClient implements IHttpClient {

    private final JdkHttpSender sender;

    MsalHttpClient(JdkHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public IHttpResponse send(HttpRequest request) throws Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (request.headers() != null) {
            request.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        }
        java.net.http.HttpResponse<String> r = sender.exchange(request.httpMethod().methodName,
                request.url().toURI(), headers, request.body());
        HttpResponse out = new HttpResponse().statusCode(r.statusCode()).body(r.body());
        Map<String, List<String>> answer = new LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> {
            if (!k.startsWith(":")) {
                answer.put(k, v);
            }
        });
        out.addHeaders(answer);
        return out;
    }

    @Override
    public String toString() {
        return "MsalHttpClient[JdkHttpSender]";
    }
}
