package io.github.oauth2mail.transport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The error a server sends as a {@code 334} challenge when it rejects an OAuth2 token (XOAUTH2 and RFC 7628
 * OAUTHBEARER): base64 of JSON such as {@code {"status":"401","schemes":"bearer","scope":"https://..."}}. A tolerant
 * parse of three string fields; anything unreadable leaves them null. Holds no token.
 */
final class OAuthErrorChallenge {

    private static final Pattern FIELD = Pattern.compile("\"(status|schemes|scope)\"\\s*:\\s*\"([^\"]{0,500})\"");

    private final String status;
    private final String schemes;
    private final String scope;

    private OAuthErrorChallenge(String status, String schemes, String scope) {
        this.status = status;
        this.schemes = schemes;
        this.scope = scope;
    }

    static OAuthErrorChallenge decode(String base64) {
        String json;
        try {
            json = new String(Base64.getMimeDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new OAuthErrorChallenge(null, null, null);
        }
        String status = null;
        String schemes = null;
        String scope = null;
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            switch (m.group(1)) {
                case "status":
                    status = m.group(2);
                    break;
                case "schemes":
                    schemes = m.group(2);
                    break;
                default:
                    scope = m.group(2);
            }
        }
        return new OAuthErrorChallenge(status, schemes, scope);
    }

    /** The HTTP-like status, e.g. {@code 401} (token invalid/expired), {@code 400}, {@code 403}; or null. */
    String status() {
        return status;
    }

    @Override
    public String toString() {
        return "status=" + status + (schemes == null ? "" : ", schemes=" + schemes)
                + (scope == null ? "" : ", scope=" + scope);
    }
}
