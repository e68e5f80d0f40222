package io.github.oauth2mail.testing;

import io.github.oauth2mail.token.AccessToken;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written token provider for tests: hands out the current token of a fixed sequence; {@link #invalidate}
 * moves to the next one (the last one stays). Records every call.
 */
public final class TestTokens implements TokenProvider {

    private final List<String> values;
    private final List<AccessToken> invalidated = new ArrayList<>();
    private final Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
    private int current;
    private int requests;
    private TokenException failure;

    private TestTokens(List<String> values) {
        this.values = List.copyOf(values);
    }

    /** Hands out {@code first}; after each invalidation the next value. */
    public static TestTokens sequence(String first, String... next) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(List.of(next));
        return new TestTokens(l);
    }

    /** Every {@link #token} call fails with {@code e}. */
    public synchronized TestTokens failingWith(TokenException e) {
        failure = e;
        return this;
    }

    @Override
    public synchronized AccessToken token(String mailbox) throws TokenException {
        requests++;
        if (failure != null) {
            throw failure;
        }
        return new AccessToken(values.get(current), expiresAt.minus(Duration.ofHours(1)), expiresAt);
    }

    @Override
    public synchronized void invalidate(String mailbox, AccessToken rejected) {
        invalidated.add(rejected);
        if (rejected.value().equals(values.get(current)) && current < values.size() - 1) {
            current++;
        }
    }

    public synchronized int requests() {
        return requests;
    }

    /** The values of the tokens reported as rejected, in order. */
    public synchronized List<String> invalidatedValues() {
        List<String> l = new ArrayList<>();
        invalidated.forEach(t -> l.add(t.value()));
        return l;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
