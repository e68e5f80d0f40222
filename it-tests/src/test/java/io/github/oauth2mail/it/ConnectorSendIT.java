package io.github.oauth2mail.it;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.Payara;
import io.github.oauth2mail.it.servers.ServerFixture;

/**
 * The connector scenarios ({@link ConnectorScenarios}) on Payara Micro: the same sample WAR as
 * {@link SampleAppBasicAuthIT}, unchanged, now served by the connector through
 * {@code server-config/payara/post-boot-connector.asadmin}, pooled by Payara's JCA connection manager.
 */
class ConnectorSendIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> Payara.start(name, env, "FINEST");
    }
}
