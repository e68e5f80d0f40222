package io.github.oauth2mail.it.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Payara Micro's MicroProfile Health endpoint ({@code /health/ready} on the HTTP port; on by default, no security). */
final class HealthEndpoint {

    /** The check the health WAR contributes. */
    static final String CHECK = "oauth2-mail-connectors";

    /** One answer: HTTP status, the whole JSON, and the connector check within it (null when absent). */
    record Answer(int http, JsonNode json) {
        String status() {
            return json.path("status").asText();
        }

        JsonNode connectorCheck() {
            for (JsonNode check : json.path("checks")) {
                if (CHECK.equals(check.path("name").asText())) {
                    return check;
                }
            }
            return null;
        }

        /** {@code data.<key>} of the connector check, or "" */
        String data(String key) {
            JsonNode check = connectorCheck();
            return check == null ? "" : check.path("data").path(key).asText("");
        }

        @Override
        public String toString() {
            return http + " " + json;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI ready;

    HealthEndpoint(int httpPort) {
        this.ready = URI.create("http://127.0.0.1:" + httpPort + "/health/ready");
    }

    Answer ready() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(60)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + ready, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
