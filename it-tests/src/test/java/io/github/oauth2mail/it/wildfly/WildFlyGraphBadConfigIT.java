package io.github.oauth2mail.it.wildfly;

import io.github.oauth2mail.it.servers.BadConfigScenarios;
import io.github.oauth2mail.it.servers.ServerFixture;
import io.github.oauth2mail.it.servers.WildFly;

/** Wrong configurations on WildFly in Graph mode: the log names the key or the provider's error, no secret. */
class WildFlyGraphBadConfigIT extends BadConfigScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return WildFly::start;
    }

    @Override
    protected boolean viaGraph() {
        return true;
    }
}
