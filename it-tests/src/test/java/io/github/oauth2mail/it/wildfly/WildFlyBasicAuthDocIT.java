package io.github.oauth2mail.it.wildfly;

import io.github.oauth2mail.it.servers.BasicAuthDocScenarios;
import io.github.oauth2mail.it.servers.DocSetup;

/**
 * docs/migrating.md on WildFly, run as written on a fresh unzip: the block marked {@code wildfly-basic-auth} (the server's
 * own mail session with a password), then {@code wildfly-switch} to the connector.
 */
class WildFlyBasicAuthDocIT extends BasicAuthDocScenarios {

    @Override
    protected DocSetup.Kind kind() {
        return DocSetup.Kind.WILDFLY;
    }
}
