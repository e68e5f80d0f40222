package io.github.oauth2mail.token;

import java.util.List;

/**
 * The token sources of a resource in order of preference (primary, then secondary) and which one is in use. Moves to
 * the next one only when the active one is rejected as a wrong or expired credential; moves back to the primary one
 * only when the credentials were read again and changed ({@link #replace}), or the resource restarts.
 */
final class Credentials {

    private volatile List<TokenSource> sources;
    private volatile int active;

    Credentials(List<TokenSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no token source");
        }
        this.sources = List.copyOf(sources);
    }

    synchronized TokenSource active() {
        return sources.get(active);
    }

    /** Credentials read again and changed: {@code fresh} replaces every source, the primary one is active again. */
    synchronized void replace(List<TokenSource> fresh) {
        if (fresh.isEmpty()) {
            throw new IllegalArgumentException("no token source");
        }
        sources = List.copyOf(fresh);
        active = 0;
    }

    /** Closes every source ({@link TokenSource#close()}): the resource stopped. */
    synchronized void close() {
        for (TokenSource s : sources) {
            try {
                s.close();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(Credentials.class.getName()).log(java.util.logging.Level.FINE,
                        "closing token source " + s.credential(), e);
            }
        }
    }

    boolean perMailbox() {
        return sources.get(0).perMailbox(); // the same for every source a reload builds (CredentialReloader)
    }

    /**
     * Called when {@code rejected} failed with {@code e}; reports a switch to {@code events}.
     *
     * @return the source to retry with now, or null when there is none (no secondary, or not a credential rejection);
     *         when another thread has already switched, the now active source
     */
    synchronized TokenSource next(TokenSource rejected, TokenException e, String mailbox, TokenEvents events) {
        if (!TokenErrors.credentialRejected(e)) {
            return null;
        }
        int idx = sources.indexOf(rejected);
        if (idx != active) {
            return sources.get(active);
        }
        if (idx + 1 >= sources.size()) {
            return null;
        }
        active = idx + 1;
        events.switched(mailbox, rejected.credential(), sources.get(active).credential(), e);
        return sources.get(active);
    }
}
