package io.github.oauth2mail.it.wildfly;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.ServerFixture;
import io.github.oauth2mail.it.servers.WildFly;

/**
 * The connector scenarios on WildFly (38 and 39: one failsafe execution per release), configured by {@code server-config/wildfly/oauth2-mail-connector.cli}: the
 * Session comes from the rar's MailSessionFactory connection definition (IronJacamar pool) through the naming
 * subsystem's object factory at {@code java:/mail/office365}.
 */
class WildFlyConnectorIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return WildFly::start;
    }
}
