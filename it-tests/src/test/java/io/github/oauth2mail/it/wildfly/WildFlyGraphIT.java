package io.github.oauth2mail.it.wildfly;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.ServerFixture;
import io.github.oauth2mail.it.servers.WildFly;

/**
 * The connector scenarios on WildFly in Graph mode: {@code server-config/wildfly/oauth2-mail-connector.cli} unchanged,
 * {@code send-via=graph} and the Graph endpoint from the environment; sends go to the Graph emulator, reads stay
 * IMAP/POP3.
 */
class WildFlyGraphIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return WildFly::start;
    }

    @Override
    protected boolean viaGraph() {
        return true;
    }
}
