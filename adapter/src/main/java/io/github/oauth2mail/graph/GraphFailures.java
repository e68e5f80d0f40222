package io.github.oauth2mail.graph;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.Advice;
import io.github.oauth2mail.failure.Facts;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.failure.MessageId;
import java.util.Set;
import net.minidev.json.JSONObject;

/**
 * What a Graph answer means for a send, decided by its status and Graph's error code ({@code
 * {"error":{"code":"...","message":"..."}}}), never by message text; and the typed exception for each outcome, with
 * the advice of its {@link MessageId}. The server reply carried on the exception is {@code HTTP <status> <code>}.
 */
final class GraphFailures {

    /** Graph error codes that say this message will never be accepted as it is. */
    private static final Set<String> PERMANENT = Set.of("ErrorInvalidRecipients", "ErrorMessageSizeExceeded",
            "ErrorSendAsDenied", "ErrorMimeContentInvalidBase64String", "ErrorMimeContentConversionFailed",
            "ErrorQuotaExceeded", "ErrorSubmissionQuotaExceeded", "ErrorInvalidRequest", "RequestBodyTooLarge");

    private final ConnectorSettings settings;

    GraphFailures(ConnectorSettings settings) {
        this.settings = settings;
    }

    /** How a non-success answer is handled. */
    enum Outcome {
        /** The token was not accepted: invalidate it, fetch one fresh token, retry once. */
        TOKEN_REJECTED,
        /** Throttled or unavailable (429, 503): wait as {@code Retry-After} says, within the deadline. */
        THROTTLED,
        /** Another server error (500, 502, 504): not accepted; retry with back-off within the deadline. */
        SERVER_ERROR,
        /** The app may not send as this mailbox. */
        ACCESS_DENIED,
        /** Refused for good: never retried. */
        PERMANENT
    }

    static Outcome classify(int status, String code) {
        if (status == 401 || "InvalidAuthenticationToken".equals(code)) {
            return Outcome.TOKEN_REJECTED;
        }
        if (status == 429 || status == 503) {
            return Outcome.THROTTLED;
        }
        if (status == 403 && !PERMANENT.contains(code)) {
            return Outcome.ACCESS_DENIED;
        }
        if (status >= 500) {
            return Outcome.SERVER_ERROR;
        }
        return Outcome.PERMANENT;
    }

    /** Graph's error code from an error answer's body, or null when it has none. */
    static String code(String body) {
        try {
            JSONObject error = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(body), "error", null);
            return error == null ? null : JSONObjectUtils.getString(error, "code", null);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** A failure with {@code id}: {@code text}, the Graph reply when there was one, and the ID's advice. */
    AdapterMessagingException failure(MessageId id, String mailbox, String text, GraphHttp.Answer answer,
                                      Exception cause) {
        String reply = answer == null ? null : "HTTP " + answer.status() + " " + code(answer.body());
        String advice = Advice.of(facts(mailbox), id, FailureKind.OTHER, -1, null, false);
        String requestId = answer == null ? "" : answer.requestId().map(r -> " (request-id " + r + ")").orElse("");
        return new AdapterMessagingException(id, text + (reply == null ? "" : ": " + reply) + requestId
                + (advice == null ? "" : ". Likely fix: " + advice), -1, reply, cause);
    }

    private Facts facts(String mailbox) {
        return new Facts(settings.name(), mailbox, settings.clientId(), settings.tenantId(), settings.smtpHost(),
                settings.smtpPort(), settings.saslMechanism().name(),
                settings.credential() == null ? null : settings.credential().name());
    }
}
