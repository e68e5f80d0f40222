package io.github.oauth2mail.token;

/**
 * One way of getting a new access token from an identity provider (one class per credential kind or grant). A source
 * makes a network call on every {@link #fetch}; caching and timing belong to {@link TokenRefresher}.
 */
public interface TokenSource {

    /**
     * Asks the identity provider for a new token.
     *
     * @param mailbox   the mailbox the token is for; used only by {@link #perMailbox()} sources
     * @param skipCache true when the refresher wants a token different from the one it holds (MSAL4J: skipCache)
     * @throws TokenException classified as transient or permanent, with error code, correlation id and a hint
     */
    AccessToken fetch(String mailbox, boolean skipCache) throws TokenException;

    /** True when each mailbox gets its own token (jwt-bearer: {@code sub} is the mailbox). */
    boolean perMailbox();

    /** Which configured credential this is, e.g. {@code client-secret} or {@code secondary.client-secret}. */
    String credential();

    /**
     * Lets go of the source's HTTP client when its resource stops. Java 17's {@code HttpClient} cannot be closed; its
     * selector thread ends once the client is unreachable, and that thread keeps the class loader that built it (its
     * inherited access-control context): a client still referenced after an undeploy would keep the undeployed
     * adapter alive. A closed source's {@link #fetch} fails.
     */
    default void close() {
    }
}
