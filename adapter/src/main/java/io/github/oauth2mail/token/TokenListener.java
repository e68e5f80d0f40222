package io.github.oauth2mail.token;

/**
 * Receives token events of one connector resource (for health checks and metrics). Called on the thread that caused
 * the event; implementations must be quick and must not throw (a throwing listener is logged and otherwise ignored).
 */
@FunctionalInterface
public interface TokenListener {

    void onEvent(TokenEvent event);
}
