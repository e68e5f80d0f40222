package io.github.oauth2mail.transport;

import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;

/**
 * Set on every Session the adapter builds, for class loading only: Jakarta Mail loads a provider's class through the
 * Authenticator's class loader (Open Liberty's jakarta.mail-api 2.1.1 does not try the Provider's own loader). It never
 * hands out a password or token: tokens are passed explicitly on each connect, because {@code Service.connect} would
 * cache the first password an Authenticator gave and replay an expired token.
 */
final class AdapterAuthenticator extends Authenticator {

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
        return null;
    }
}
