package io.github.oauth2mail.it.liberty;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.Liberty;
import io.github.oauth2mail.it.servers.ServerFixture;
import java.util.Map;

/**
 * The connector scenarios on Open Liberty in Graph mode: {@code server-config/liberty/server.xml} unchanged,
 * {@code send-via=graph} and the Graph endpoint from the environment; sends go to the Graph emulator, reads stay
 * IMAP/POP3 (POP3 by host name, as in {@link LibertyConnectorIT}).
 */
class LibertyGraphIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> Liberty.start(name, env, "finest");
    }

    @Override
    protected boolean viaGraph() {
        return true;
    }

    @Override
    protected Map<String, String> serverEnv() {
        return Map.of("OAUTH2MAIL_DEMO_POP3_HOST", "localhost");
    }
}
