package io.github.oauth2mail.jca;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.token.TokenRefresher;

/** Builds the token provider (the refresher) of a connector resource. */
final class TokenProviders {

    private TokenProviders() {
    }

    static TokenProvider create(ConnectorSettings settings) {
        return TokenRefresher.create(settings);
    }
}
