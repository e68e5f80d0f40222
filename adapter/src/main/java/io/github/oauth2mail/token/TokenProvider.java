package io.github.oauth2mail.token;

/**
 * Gives a valid access token for a mailbox of one connector resource. Implementations cache and refresh; callers
 * ask for a token on every connect and never keep one longer than its {@link AccessToken#expiresAt()}.
 */
public interface TokenProvider {

    /**
     * A token valid for at least a short safety margin.
     *
     * @param mailbox the XOAUTH2 user (sources whose tokens do not depend on the mailbox ignore it)
     * @throws TokenException when no valid token can be had within the configured wait
     */
    AccessToken token(String mailbox) throws TokenException;

    /**
     * Reports that a mail server rejected {@code rejected}; the next {@link #token(String)} call returns a different,
     * freshly fetched token (rate-limited per credential, so many connections reporting the same token cause one fetch).
     */
    void invalidate(String mailbox, AccessToken rejected);
}
