package io.github.oauth2mail.it.liberty;

import io.github.oauth2mail.it.servers.BadConfigScenarios;
import io.github.oauth2mail.it.servers.Liberty;
import io.github.oauth2mail.it.servers.ServerFixture;

/** Wrong configurations on Open Liberty (25.0.0.9 and 26.0.0.3: one failsafe execution per release): the log names the key or the provider's error, and holds no secret. */
class LibertyBadConfigIT extends BadConfigScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> Liberty.start(name, env, "finest");
    }
}
