package io.github.oauth2mail.it;

import io.github.oauth2mail.it.servers.BadConfigScenarios;
import io.github.oauth2mail.it.servers.Payara;
import io.github.oauth2mail.it.servers.ServerFixture;

/** Wrong configurations on Payara Micro in Graph mode: the log names the key or the provider's error, no secret. */
class GraphBadConfigIT extends BadConfigScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> Payara.start(name, env, "FINEST");
    }

    @Override
    protected boolean viaGraph() {
        return true;
    }
}
