package io.github.oauth2mail.it.wildfly;

import io.github.oauth2mail.it.servers.DocSetup;
import io.github.oauth2mail.it.servers.DocSetupScenarios;

/**
 * WildFly from a fresh unzip, set up by the blocks of docs/servers.md marked {@code wildfly-setup},
 * {@code oauth2-settings} and {@code wildfly-start}, run as written.
 */
class WildFlyDocSetupIT extends DocSetupScenarios {

    @Override
    protected DocSetup.Kind kind() {
        return DocSetup.Kind.WILDFLY;
    }
}
