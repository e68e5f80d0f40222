package io.github.oauth2mail.token;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import net.minidev.json.JSONObject;

/**
 * One generic OAuth2 token endpoint spoken to with the Nimbus OAuth 2.0 SDK: finite timeouts, the resource's trust
 * store, error classification and response checks.
 */
final class OAuth2Endpoint {

    private final URI uri;
    private final SourceContext ctx;
    private final JdkHttpSender sender;

    /** @param tls the resource's TLS context (its trust store, loaded once per resource) */
    OAuth2Endpoint(ConnectorSettings settings, SSLContext tls, String credential) {
        this.uri = settings.tokenEndpoint().orElseThrow();
        this.ctx = new SourceContext(settings, uri.toString(), credential);
        this.sender = new JdkHttpSender(tls, MsalCalls.millis(settings.connectTimeout()),
                MsalCalls.millis(settings.readTimeout()), settings.tokenProxy().orElse(null));
    }

    URI uri() {
        return uri;
    }

    SourceContext context() {
        return ctx;
    }

    /** Client authentication per {@code client-auth}, or null without a client secret. */
    static ClientAuthentication clientAuth(ConnectorSettings settings, Secret secret) {
        if (secret == null) {
            return null;
        }
        ClientID id = new ClientID(settings.clientId());
        com.nimbusds.oauth2.sdk.auth.Secret s = new com.nimbusds.oauth2.sdk.auth.Secret(secret.reveal());
        return settings.clientAuth() == ConnectorSettings.ClientAuth.CLIENT_SECRET_POST ? new ClientSecretPost(id, s)
                : new ClientSecretBasic(id, s);
    }

    /**
     * Sends the request through {@link JdkHttpSender} (its TLS context and timeouts; Nimbus's own connection settings
     * are not used) and returns the checked success answer.
     */
    AccessTokenResponse send(TokenRequest request) throws TokenException {
        HTTPRequest http = request.toHTTPRequest();
        HTTPResponse response;
        try {
            response = http.send(sender);
        } catch (IOException e) {
            throw TokenErrors.fromIo(ctx, e);
        }
        int status = response.getStatusCode();
        if (status == 429 || status >= 500 || !response.indicatesSuccess()) {
            throw error(response);
        }
        try {
            TokenResponse parsed = TokenResponse.parse(response);
            if (!parsed.indicatesSuccess()) {
                throw error(response);
            }
            return parsed.toSuccessResponse();
        } catch (ParseException e) {
            throw TokenErrors.invalidResponse(ctx, "not a valid token response (" + safe(e.getMessage()) + ")");
        }
    }

    /** Checks the answer and turns it into an {@link AccessToken}. */
    AccessToken token(AccessTokenResponse r) throws TokenException {
        com.nimbusds.oauth2.sdk.token.AccessToken t = r.getTokens().getAccessToken();
        return TokenResponses.check(ctx, t.getValue(), t.getType() == null ? "" : t.getType().getValue(),
                t.getLifetime(), Instant.now());
    }

    private TokenException error(HTTPResponse response) {
        int status = response.getStatusCode();
        String error = null;
        String description = null;
        String correlationId = firstHeader(response, "X-Correlation-Id", "X-Request-Id", "x-ms-request-id");
        try {
            JSONObject json = response.getContentAsJSONObject();
            ErrorObject eo = TokenErrorResponse.parse(response).getErrorObject();
            error = eo == null ? null : eo.getCode();
            description = eo == null ? null : eo.getDescription();
            for (String f : new String[] {"correlation_id", "trace_id"}) {
                if (correlationId == null && json.get(f) instanceof String) {
                    correlationId = (String) json.get(f);
                }
            }
        } catch (ParseException | RuntimeException e) {
            // not a JSON error body (e.g. an HTML 502 page): status alone decides
        }
        return TokenErrors.fromResponse(ctx, status, error, description, correlationId,
                response.getHeaderValue("Retry-After"), null);
    }

    private static String firstHeader(HTTPResponse r, String... names) {
        for (String n : names) {
            String v = r.getHeaderValue(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** Nimbus parse messages name fields, not values; still keep them short. */
    private static String safe(String s) {
        return s == null ? "unreadable" : s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** Lets go of the HTTP client ({@link TokenSource#close()}). */
    void close() {
        sender.close();
    }
}
