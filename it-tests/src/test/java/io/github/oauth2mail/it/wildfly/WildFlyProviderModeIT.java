package io.github.oauth2mail.it.wildfly;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.ServerFixture;
import io.github.oauth2mail.it.servers.WildFly;

/**
 * The connector scenarios on WildFly (38 and 39: one failsafe execution per release) in transport-provider mode, configured by
 * {@code server-config/wildfly/oauth2-mail-provider.cli}: the mail subsystem's own session, the adapter's transport
 * and store from a global JBoss module, the adapter's own small pool (no JCA pool).
 */
class WildFlyProviderModeIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> WildFly.start(name, env, WildFly.Mode.PROVIDER);
    }
}
