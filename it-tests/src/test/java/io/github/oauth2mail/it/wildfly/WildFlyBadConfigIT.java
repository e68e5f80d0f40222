package io.github.oauth2mail.it.wildfly;

import io.github.oauth2mail.it.servers.BadConfigScenarios;
import io.github.oauth2mail.it.servers.ServerFixture;
import io.github.oauth2mail.it.servers.WildFly;

/** Wrong configurations on WildFly (38 and 39: one failsafe execution per release): the log names the key or the provider's error, and holds no secret. */
class WildFlyBadConfigIT extends BadConfigScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return WildFly::start;
    }
}
