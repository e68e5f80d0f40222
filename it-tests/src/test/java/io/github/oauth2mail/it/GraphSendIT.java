package io.github.oauth2mail.it;

import io.github.oauth2mail.it.servers.ConnectorScenarios;
import io.github.oauth2mail.it.servers.Payara;
import io.github.oauth2mail.it.servers.ServerFixture;

/**
 * The connector scenarios ({@link ConnectorScenarios}) on Payara Micro in Graph mode: the same unchanged sample WAR
 * and {@code server-config/payara/post-boot-connector.asadmin}; only the resource's keys change
 * ({@code OAUTH2MAIL_DEMO_SEND_VIA=graph}, {@code OAUTH2MAIL_DEMO_GRAPH_ENDPOINT}, the Graph scope), so
 * {@code Transport.send} goes out as {@code POST /v1.0/users/{mailbox}/sendMail} to the Graph emulator while the
 * inbox is still read over IMAP/POP3 with XOAUTH2.
 */
class GraphSendIT extends ConnectorScenarios {

    @Override
    protected ServerFixture.Launcher launcher() {
        return (name, env) -> Payara.start(name, env, "FINEST");
    }

    @Override
    protected boolean viaGraph() {
        return true;
    }
}
