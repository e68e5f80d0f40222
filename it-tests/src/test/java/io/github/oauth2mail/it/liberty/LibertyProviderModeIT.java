package io.github.oauth2mail.it.liberty;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.Liberty;
import io.github.oauth2mail.it.servers.ServerFixture;
import java.util.Map;

/**
 * The connector scenarios on Open Liberty (25.0.0.9 and 26.0.0.3: one failsafe execution per release) in transport-provider mode, configured by
 * {@code server-config/liberty/server-provider-mode.xml}: Liberty's own mailSession, the adapter's transport and
 * store from a shared library given to the app's class loader, the adapter's own small pool (no JCA pool).
 */
class LibertyProviderModeIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> Liberty.start(name, env, "finest", true);
    }

    /** POP3 by host name, as in {@link LibertyConnectorIT#serverEnv()}. */
    @Override
    protected Map<String, String> serverEnv() {
        return Map.of("OAUTH2MAIL_DEMO_POP3_HOST", "localhost");
    }
}
