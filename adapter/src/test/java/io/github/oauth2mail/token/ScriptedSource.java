package io.github.oauth2mail.token;

import io.github.oauth2mail.failure.MessageId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token source for fake-time refresher tests: answers with a new token of the configured lifetime (issued at the
 * clock's time), or with the configured failure, and records when it was asked.
 */
final class ScriptedSource implements TokenSource {

    private final Clock clock;
    private final String credential;
    private final List<Instant> requests = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private volatile Duration lifetime = Duration.ofHours(1);
    private volatile TokenException failure;

    ScriptedSource(Clock clock, String credential) {
        this.clock = clock;
        this.credential = credential;
    }

    /** From now on: a token living {@code d}. */
    ScriptedSource issue(Duration d) {
        this.lifetime = d;
        this.failure = null;
        return this;
    }

    /** From now on: this failure. */
    ScriptedSource fail(TokenException e) {
        this.failure = e;
        return this;
    }

    static TokenException unavailable(Duration retryAfter) {
        return new TokenException(MessageId.TOKEN_PROVIDER_UNAVAILABLE, TokenException.Kind.TRANSIENT,
                "test: HTTP 503 temporarily_unavailable",
                "temporarily_unavailable", "c-503", retryAfter, null);
    }

    static TokenException rejected(String code) {
        return new TokenException(MessageId.TOKEN_REQUEST_REJECTED, TokenException.Kind.PERMANENT,
                "test: HTTP 401 " + code, code, "c-401",
                null, null);
    }

    @Override
    public AccessToken fetch(String mailbox, boolean skipCache) throws TokenException {
        Instant now = clock.instant();
        requests.add(now);
        TokenException e = failure;
        if (e != null) {
            throw e;
        }
        AccessToken t = new AccessToken("t-" + UUID.randomUUID(), now, now.plus(lifetime));
        issued.add(t.value());
        return t;
    }

    /** When each request was made (fake time). */
    List<Instant> requests() {
        return requests;
    }

    List<String> issued() {
        return issued;
    }

    @Override
    public boolean perMailbox() {
        return false;
    }

    @Override
    public String credential() {
        return credential;
    }
}
