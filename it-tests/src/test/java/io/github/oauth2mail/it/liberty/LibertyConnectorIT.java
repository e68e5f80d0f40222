package io.github.oauth2mail.it.liberty;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.Liberty;
import io.github.oauth2mail.it.servers.ServerFixture;
import java.util.Map;

/**
 * The connector scenarios on Open Liberty (25.0.0.9 and 26.0.0.3: one failsafe execution per release), configured by {@code server-config/liberty/server.xml}: the
 * Session is the connection factory of the rar's first connection definition, pooled by Liberty's JCA manager.
 */
class LibertyConnectorIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> Liberty.start(name, env, "finest");
    }

    /**
     * POP3 by host name: the POP3 store's TLS is done by Liberty's Angus Mail, which cannot reach the JDK's
     * HostnameChecker (sun.security.util is not visible to its bundle), so its identity check matches DNS names only
     * and refuses 127.0.0.1 although the certificate has that IP address. Real mail servers are reached by name. SMTP
     * and IMAP are reached by IP: the adapter does their TLS itself.
     */
    @Override
    protected Map<String, String> serverEnv() {
        return Map.of("OAUTH2MAIL_DEMO_POP3_HOST", "localhost");
    }
}
