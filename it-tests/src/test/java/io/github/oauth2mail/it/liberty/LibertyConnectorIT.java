package io.github.oauth2mail.it.liberty;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.Liberty;
import io.github.oauth2mail.it.servers.ServerFixture;

/**
 * The connector scenarios on Open Liberty 25.0.0.9, configured by {@code server-config/liberty/server.xml}: the
 * Session is the connection factory of the rar's first connection definition, pooled by Liberty's JCA manager.
 */
class LibertyConnectorIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> Liberty.start(name, env, "finest");
    }
}
