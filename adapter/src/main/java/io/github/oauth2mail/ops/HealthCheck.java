package io.github.oauth2mail.ops;

import io.github.oauth2mail.token.TokenStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Computes the {@link Health} of a connector resource from what the token refresher and the connection metrics know.
 * Pure logic, no I/O:
 * <ol>
 * <li>DOWN (OAM430) when the last token request failed permanently (wrong or expired credential, unknown app or
 * tenant): an admin must act; it stays DOWN until a token request succeeds.</li>
 * <li>DOWN (OAM431) when no valid token is held and the last request failed (transient: network, 5xx, 429).</li>
 * <li>DOWN (OAM432) when a mail server (SMTP, IMAP or POP3) refused the last connection of its protocol (refused,
 * TLS, AUTH rejected) and nothing of that protocol succeeded since.</li>
 * <li>UP otherwise, also before the first token (nothing has failed yet); UP with an OAM433 reason while one
 * mailbox's permanent refusals are rising ({@link #withRefusals}).</li>
 * </ol>
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    /**
     * @param token      the refresher's snapshot, or null when the token provider gives none
     * @param refusal    the mail server's last refusal if nothing succeeded since, else null
     * @param refusalAt  when that refusal happened
     * @param refusedBy  the server that refused ({@code host:port}, with the protocol for IMAP/POP3)
     * @param server     {@code host:port} of the SMTP server
     * @param inUse      connections in use
     * @param idle       open connections not in use
     * @param lastSendOk the last successful send, or null
     */
    public static Health evaluate(TokenStatus token, Throwable refusal, Instant refusalAt, String refusedBy,
                                  String server, int inUse, int idle, Instant lastSendOk, Instant now) {
        Map<String, String> data = new LinkedHashMap<>();
        if (token != null) {
            data.put("tokenExpiresAt", String.valueOf(token.expiresAt()));
            data.put("lastTokenRefresh", String.valueOf(token.lastRefresh()));
            data.put("activeCredential", String.valueOf(token.activeCredential()));
            data.put("lastTokenErrorCode", String.valueOf(token.lastErrorCode()));
            data.put("lastTokenErrorAt", String.valueOf(token.lastErrorAt()));
        }
        data.put("mailServer", server);
        data.put("connectionsInUse", String.valueOf(inUse));
        data.put("connectionsIdle", String.valueOf(idle));
        data.put("lastSendOk", String.valueOf(lastSendOk));
        if (refusal != null) {
            data.put("lastMailServerErrorCode", String.valueOf(KnownFailures.code(refusal)));
            data.put("lastMailServerErrorAt", String.valueOf(refusalAt));
            data.put("lastMailServerError", refusedBy);
        }
        if (token != null && token.lastErrorAt() != null) {
            String what = token.lastErrorCode() + (token.lastCorrelationId() == null ? ""
                    : ", correlation id " + token.lastCorrelationId()) + ", at " + token.lastErrorAt();
            if (token.lastErrorPermanent()) {
                return new Health(false, "OAM430 cannot get an access token (" + what + "); an admin must fix the "
                        + "cause, then the next token request (at most 5 min later, or at once with the MBean operation "
                        + "retryToken) recovers: " + token.lastErrorMessage(), data);
            }
            if (token.expiresAt() == null || !token.expiresAt().isAfter(now)) {
                return new Health(false, "OAM431 no valid access token and the last token request failed (" + what
                        + "); retrying with back-off: " + token.lastErrorMessage(), data);
            }
        }
        if (refusal != null) {
            return new Health(false, "OAM432 mail server " + refusedBy + " refused the connection ("
                    + KnownFailures.code(refusal) + ", at " + refusalAt + "): " + refusal.getMessage(), data);
        }
        if (token != null && token.expiresAt() == null) {
            return new Health(true, "no access token fetched yet (nothing has failed)", data);
        }
        return new Health(true, "access token valid" + (token == null ? "" : " until " + token.expiresAt()), data);
    }

    /** From how many days before a credential expires health names it (OAM434), as the first OAM119 warning. */
    static final java.time.Duration EXPIRY_NOTICE = java.time.Duration.ofDays(30);

    /**
     * Adds the soonest credential expiry to the data, and while UP, says in the reason (OAM434) when it is within 30
     * days (or past): monitoring that reads the reason sees it weeks ahead, while mail still flows (stays UP).
     */
    public static Health withCredentialExpiry(Health h, TokenStatus token, Instant now) {
        if (token == null || token.credentialExpiresAt() == null) {
            return h;
        }
        Map<String, String> data = new LinkedHashMap<>(h.data());
        data.put("expiringCredential", token.expiringCredential());
        data.put("credentialExpiresAt", String.valueOf(token.credentialExpiresAt()));
        java.time.Duration left = java.time.Duration.between(now, token.credentialExpiresAt());
        if (!h.up() || left.compareTo(EXPIRY_NOTICE) > 0) {
            return new Health(h.up(), h.reason(), data);
        }
        String note = "OAM434 credential " + token.expiringCredential() + " of connector resource '"
                + token.resource() + "' " + (left.isNegative() || left.isZero() ? "expired at " : "expires at ")
                + token.credentialExpiresAt() + (left.isNegative() || left.isZero() ? "" : " (in " + left.toDays()
                + " days)") + "; replace it (it is read again without a restart)";
        return new Health(true, h.reason().startsWith("OAM") ? h.reason() + " | " + note : note + "; " + h.reason(),
                data);
    }

    /**
     * UP stays UP (mail is flowing) but says so when one mailbox's permanent refusals are rising (OAM433): Exchange
     * Online blocks a mailbox from SMTP AUTH for a while after repeated errors from one app.
     */
    static Health withRefusals(Health h, RefusalRate.Rising rising) {
        if (rising == null || !h.up()) {
            return h;
        }
        Map<String, String> data = new LinkedHashMap<>(h.data());
        data.put("permanentRefusalsMailbox", rising.mailbox());
        data.put("permanentRefusalsInWindow", String.valueOf(rising.inWindow()));
        data.put("permanentRefusalsLastCode", String.valueOf(rising.lastCode()));
        return new Health(true, "OAM433 degraded: the mail server refused " + rising.inWindow() + " sends as "
                + rising.mailbox() + " permanently in the last " + RefusalRate.WINDOW.toMinutes() + " min (last: "
                + rising.lastCode() + "); fix the cause before repeated errors get the mailbox blocked from SMTP AUTH "
                + "(Exchange Online 550 5.2.251-5.2.255)", data);
    }
}
