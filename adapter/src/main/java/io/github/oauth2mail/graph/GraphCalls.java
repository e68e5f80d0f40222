package io.github.oauth2mail.graph;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.AccessToken;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenProvider;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLHandshakeException;

/**
 * One Graph request of a send, with everything around it: a slot of the mailbox's budget (Graph allows 4 concurrent
 * requests per app and mailbox) held only while the request runs, the token, the {@code mail-debug} trace (token and
 * body redacted), and the handling of refusals: {@code 401} invalidates the token and retries once with a fresh one;
 * {@code 429}/{@code 503} wait as {@code Retry-After} says while the send's deadline allows; everything else fails
 * with its typed failure. A request that reached Graph and got no answer is never sent again when it was the one
 * that sends ({@code last}): delivery is unknown.
 */
final class GraphCalls {

    private static final Logger LOG = Logger.getLogger(GraphCalls.class.getName());

    private final ConnectorSettings settings;
    private final GraphHttp http;
    private final TokenProvider tokens;
    private final MailboxPermits permits;
    private final GraphFailures failures;
    private final Clock clock;
    private final GraphMailer.Pause pause;

    GraphCalls(ConnectorSettings settings, GraphHttp http, TokenProvider tokens, MailboxPermits permits, Clock clock,
               GraphMailer.Pause pause) {
        this.settings = settings;
        this.http = http;
        this.tokens = tokens;
        this.permits = permits;
        this.failures = new GraphFailures(settings);
        this.clock = clock;
        this.pause = pause;
    }

    GraphFailures failures() {
        return failures;
    }

    Clock clock() {
        return clock;
    }

    /** The state of one send across its requests: its deadline and whether a fresh token was already fetched. */
    static final class Send {
        final String mailbox;
        final long deadline;
        boolean refetched;

        Send(String mailbox, long deadline) {
            this.mailbox = mailbox;
            this.deadline = deadline;
        }
    }

    /**
     * Sends one request until Graph answers {@code expected}, and returns that answer.
     *
     * @param last true for the request that makes Graph send the message (its lost answer means delivery unknown)
     */
    GraphHttp.Answer call(Send send, String method, URI uri, String contentType, String body, int expected,
                          boolean last) throws MessagingException {
        String shown = method + " " + uri + " Authorization: Bearer <redacted>" + (body == null ? ""
                : " Content-Type: " + contentType + " body: <" + body.length() + " characters redacted>");
        return exchange(send, method, uri, shown, token -> http.request(method, uri, token, contentType, body),
                expected, last, true);
    }

    /**
     * {@code PUT}s one chunk to an attachment upload session until it is taken ({@code 200}, or {@code 201} for the
     * last chunk): without the bearer token, and traced without the URL's query (it carries the session's token).
     * Throttling is waited out as for every request; any other refusal is {@link MessageId#GRAPH_UPLOAD_FAILED}.
     */
    GraphHttp.Answer upload(Send send, URI uploadUrl, byte[] chunk, int length, long start, long total)
            throws MessagingException {
        String shown = "PUT " + withoutQuery(uploadUrl) + "?<redacted> Content-Range: bytes " + start + "-"
                + (start + length - 1) + "/" + total + " body: <" + length + " bytes>";
        return exchange(send, "PUT", uploadUrl, shown, token -> http.upload(uploadUrl, chunk, length, start, total),
                start + length == total ? 201 : 200, false, false);
    }

    private GraphHttp.Answer exchange(Send send, String method, URI uri, String shown,
                                      Function<String, HttpRequest> request, int expected, boolean last,
                                      boolean bearer) throws MessagingException {
        for (int attempt = 1; ; attempt++) {
            GraphHttp.Answer answer = once(send, uri, shown, request, last, bearer);
            if (answer.status() == expected) {
                return answer;
            }
            String code = GraphFailures.code(answer.body());
            GraphFailures.Outcome outcome = GraphFailures.classify(answer.status(), code);
            if (!bearer && outcome != GraphFailures.Outcome.THROTTLED) {
                throw failures.failure(MessageId.GRAPH_UPLOAD_FAILED, send.mailbox, "Microsoft Graph refused an "
                        + "attachment chunk for mailbox " + send.mailbox + " (expected HTTP " + expected + ")", answer,
                        null);
            }
            switch (outcome) {
                case TOKEN_REJECTED:
                    if (send.refetched) {
                        throw failures.failure(MessageId.GRAPH_AUTH_FAILED, send.mailbox, "Microsoft Graph rejected "
                                + "a freshly fetched token for mailbox " + send.mailbox + " too", answer, null);
                    }
                    send.refetched = true;
                    LOG.log(Level.INFO, "OAM601 Microsoft Graph rejected the token for mailbox {0} (HTTP {1} {2}); "
                            + "fetching a fresh one and retrying once", new Object[] {send.mailbox, answer.status(), code});
                    continue;
                case THROTTLED:
                    long wait = retryAfterMillis(answer, attempt);
                    if (clock.millis() + wait >= send.deadline || !pause.pause(wait)) {
                        throw failures.failure(MessageId.GRAPH_THROTTLED, send.mailbox, "Microsoft Graph throttled "
                                + "mailbox " + send.mailbox + " and asked to wait " + wait + " ms, beyond "
                                + settings.key(Setting.SEND_DEADLINE_MS) + "=" + settings.sendDeadline().toMillis()
                                + " (attempt " + attempt + "); the message was not sent", answer, null);
                    }
                    LOG.log(Level.FINE, "OAM309 Microsoft Graph throttled mailbox {0} (HTTP {1}); retried after {2} ms",
                            new Object[] {send.mailbox, answer.status(), wait});
                    continue;
                case ACCESS_DENIED:
                    throw failures.failure(MessageId.GRAPH_ACCESS_DENIED, send.mailbox, "Microsoft Graph denied the "
                            + "app access to mailbox " + send.mailbox + "; the message was not sent", answer, null);
                case SERVER_ERROR:
                    if (last) {
                        throw failures.failure(MessageId.GRAPH_DELIVERY_UNKNOWN, send.mailbox, "Microsoft Graph "
                                + "answered the send for mailbox " + send.mailbox + " with a server error; delivery "
                                + "is unknown, not resent", answer, null);
                    }
                    throw failures.failure(MessageId.GRAPH_SERVER_ERROR, send.mailbox, "Microsoft Graph answered "
                            + method + " " + uri.getPath() + " with a server error; the message was not sent", answer, null);
                default:
                    throw failures.failure(MessageId.GRAPH_MESSAGE_REJECTED, send.mailbox, "Microsoft Graph refused "
                            + "the message for mailbox " + send.mailbox, answer, null);
            }
        }
    }

    private GraphHttp.Answer once(Send send, URI uri, String shown, Function<String, HttpRequest> request,
                                  boolean last, boolean bearer) throws MessagingException {
        AccessToken token = bearer ? token(send.mailbox) : null; // before the slot: a token wait holds no slot
        permits.acquire(send.mailbox, settings);
        try {
            trace(send.mailbox, "> " + shown);
            GraphHttp.Answer a = http.send(request.apply(token == null ? null : token.value()));
            trace(send.mailbox, "< " + a.status() + a.requestId().map(r -> " request-id " + r).orElse("")
                    + (a.status() >= 300 ? " " + GraphFailures.code(a.body()) : ""));
            if (bearer && GraphFailures.classify(a.status(), GraphFailures.code(a.body()))
                    == GraphFailures.Outcome.TOKEN_REJECTED && !send.refetched) {
                tokens.invalidate(send.mailbox, token);
            }
            return a;
        } catch (HttpConnectTimeoutException | ConnectException | SSLHandshakeException e) {
            throw failures.failure(MessageId.GRAPH_UNREACHABLE, send.mailbox, "Cannot reach Microsoft Graph at "
                    + uri.getHost() + " (" + e.getClass().getSimpleName() + "); the message was not sent", null, e);
        } catch (IOException e) {
            throw noAnswer(send, uri, last, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw noAnswer(send, uri, last, e);
        } finally {
            permits.release(send.mailbox);
        }
    }

    /** {@code uri} without its query: an upload URL's query carries its pre-authenticated token. */
    static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    private AdapterMessagingException noAnswer(Send send, URI uri, boolean last, Exception e) {
        return last ? failures.failure(MessageId.GRAPH_DELIVERY_UNKNOWN, send.mailbox, "No answer from Microsoft Graph "
                + "to the send for mailbox " + send.mailbox + " (" + e.getClass().getSimpleName() + " after "
                + "the request was sent): the message may or may not have been sent; not resent", null, e)
                : failures.failure(MessageId.GRAPH_UNREACHABLE, send.mailbox, "No answer from Microsoft Graph to "
                + uri.getPath() + " (" + e.getClass().getSimpleName() + "); the message was not sent", null, e);
    }

    private AccessToken token(String mailbox) throws MessagingException {
        try {
            return tokens.token(mailbox);
        } catch (TokenException e) {
            throw new AdapterMessagingException(e);
        }
    }

    /** {@code Retry-After} in seconds as Graph sends it; else an exponential back-off from 1 s, at most 30 s. */
    static long retryAfterMillis(GraphHttp.Answer answer, int attempt) {
        long fallback = Math.min(30_000L, 1000L << Math.min(attempt - 1, 5));
        try {
            return answer.retryAfter().map(String::trim).map(Long::parseLong)
                    .filter(s -> s >= 0 && s <= 3600).map(s -> s * 1000).orElse(fallback);
        } catch (NumberFormatException e) {
            return fallback; // an HTTP date: Graph sends seconds; wait as if none came
        }
    }

    private void trace(String mailbox, String line) {
        if (settings.mailDebug()) {
            LOG.log(Level.FINE, "OAM600 [" + mailbox + " graph] " + line);
        }
    }
}
