package io.github.oauth2mail.it.servers;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.MailServer;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.TokenIssuer;
import io.github.oauth2mail.testing.GraphEmulator;
import io.github.oauth2mail.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GreenMail + the local token issuer + one application server (WildFly or Liberty) with the connector and the
 * unchanged sample app, as on Payara ({@link ConnectorFixture}): the same resource name ({@code demo}), the same
 * MicroProfile Config keys as environment variables, the same secrets. The server's checked-in configuration sets
 * only the config name and the pool, so the keys Payara's post-boot file sets as pool properties (provider, grant,
 * hosts, TLS) come from the environment here too: the key contract is the same on every server.
 */
public final class ServerFixture implements AutoCloseable {

    /** Starts a server with this environment; {@code name} names its work folder. */
    @FunctionalInterface
    public interface Launcher {
        AppServer start(String name, Map<String, String> env) throws IOException;
    }

    /** The token scope in Graph mode: what the connector asks for with {@code send-via=graph} on Entra. */
    public static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

    private final MailServer mail;
    private final TokenIssuer issuer;
    private final AppServer server;
    private final GraphEmulator graph;

    private ServerFixture(MailServer mail, TokenIssuer issuer, AppServer server, GraphEmulator graph) {
        this.mail = mail;
        this.issuer = issuer;
        this.server = server;
        this.graph = graph;
    }

    public MailServer mail() {
        return mail;
    }

    public TokenIssuer issuer() {
        return issuer;
    }

    public AppServer server() {
        return server;
    }

    public SampleAppClient app() {
        return new SampleAppClient(server.sampleApp());
    }

    /** The token scope the connector is configured with. */
    public String scope() {
        return graph == null ? ConnectorFixture.SCOPE : GRAPH_SCOPE;
    }

    /**
     * How each message left the connector, oldest first: every SMTP mail transaction as GreenMail saw it authenticated
     * ({@code "XOAUTH2 <user>"}), then, in Graph mode, every message the Graph emulator delivered
     * ({@code "Graph <mailbox>"}). In Graph mode an SMTP entry here is a message that went the wrong way.
     */
    public List<String> submissions() {
        List<String> all = new ArrayList<>(mail.smtpLogins());
        if (graph != null) {
            graph.delivered().forEach(d -> all.add("Graph " + d.mailbox()));
        }
        return all;
    }

    /** The {@link #submissions()} entry of a message sent as {@code mailbox} the configured way. */
    public String expectedSubmission(String mailbox) {
        return (graph == null ? "XOAUTH2 " : "Graph ") + mailbox;
    }

    /** The message ID of the connector's send trace with {@code mail-debug=true}: SMTP (OAM200) or Graph (OAM600). */
    public String sendTraceId() {
        return graph == null ? "OAM200" : "OAM600";
    }

    /** Starts everything; {@code overrides} sets ({@code value != null}) or removes ({@code null}) variables. */
    public static ServerFixture start(String name, Launcher launcher, Map<String, String> overrides, long tokenLifetime)
            throws IOException {
        return start(name, launcher, overrides, tokenLifetime, false);
    }

    /**
     * Starts everything; with {@code viaGraph} the connector sends through Microsoft Graph ({@code send-via=graph})
     * to a {@link GraphEmulator} that accepts exactly the tokens the issuer deems valid and that were asked for with
     * the Graph scope, and delivers into GreenMail's mailboxes (reading stays IMAP/POP3 on GreenMail).
     */
    public static ServerFixture start(String name, Launcher launcher, Map<String, String> overrides, long tokenLifetime,
            boolean viaGraph) throws IOException {
        Path work = Layout.work(name);
        TestCertificates certs = Layout.certificates();
        Path trustStore = ConnectorFixture.withPassword(certs.trustStore(), work.resolve("connector-trust.p12"));
        MailServer mail = MailServer.start(certs, ConnectorFixture.MAILBOX, "not-a-token-yet-" + System.nanoTime());
        TokenIssuer issuer = null;
        GraphEmulator graph = null;
        try {
            issuer = TokenIssuer.start(certs, ConnectorFixture.CLIENT_ID, ConnectorFixture.CLIENT_SECRET, tokenLifetime,
                    token -> { });
            // GreenMail accepts exactly the tokens the issuer deems valid (issued, not expired, not revoked)
            mail.acceptTokensFrom(issuer);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("OAUTH2MAIL_DEMO_PROVIDER", "oauth2");
            env.put("OAUTH2MAIL_DEMO_GRANT_TYPE", "client_credentials");
            env.put("OAUTH2MAIL_DEMO_TOKEN_ENDPOINT", issuer.endpoint().toString());
            env.put("OAUTH2MAIL_DEMO_CLIENT_ID", ConnectorFixture.CLIENT_ID);
            env.put("OAUTH2MAIL_DEMO_CLIENT_SECRET", ConnectorFixture.CLIENT_SECRET);
            env.put("OAUTH2MAIL_DEMO_SCOPE", ConnectorFixture.SCOPE);
            env.put("OAUTH2MAIL_DEMO_MAILBOX", ConnectorFixture.MAILBOX);
            env.put("OAUTH2MAIL_DEMO_SMTP_HOST", MailServer.HOST);
            env.put("OAUTH2MAIL_DEMO_SMTP_PORT", String.valueOf(mail.smtpsPort()));
            env.put("OAUTH2MAIL_DEMO_SMTP_TLS", "implicit");
            env.put("OAUTH2MAIL_DEMO_IMAP_HOST", MailServer.HOST);
            env.put("OAUTH2MAIL_DEMO_IMAP_PORT", String.valueOf(mail.imapsPort()));
            env.put("OAUTH2MAIL_DEMO_IMAP_TLS", "implicit");
            env.put("OAUTH2MAIL_DEMO_POP3_HOST", MailServer.HOST);
            env.put("OAUTH2MAIL_DEMO_POP3_PORT", String.valueOf(mail.pop3sPort()));
            env.put("OAUTH2MAIL_DEMO_POP3_TLS", "implicit");
            env.put("OAUTH2MAIL_DEMO_TRUST_STORE_PATH", trustStore.toString());
            env.put("OAUTH2MAIL_DEMO_TRUST_STORE_PASSWORD", ConnectorFixture.TRUST_STORE_PASSWORD);
            if (viaGraph) {
                TokenIssuer tokens = issuer;
                graph = GraphEmulator.start(certs, token -> tokens.isValid(token)
                        && tokens.scopes().stream().allMatch(GRAPH_SCOPE::equals));
                graph.onDelivery(d -> mail.deliver(d.message(), d.recipients()));
                env.put("OAUTH2MAIL_DEMO_SEND_VIA", "graph");
                env.put("OAUTH2MAIL_DEMO_GRAPH_ENDPOINT", graph.endpoint());
                env.put("OAUTH2MAIL_DEMO_SCOPE", GRAPH_SCOPE);
            }
            overrides.forEach((k, v) -> {
                if (v == null) {
                    env.remove(k);
                } else {
                    env.put(k, v);
                }
            });
            return new ServerFixture(mail, issuer, launcher.start(name, env), graph);
        } catch (IOException | RuntimeException e) {
            if (graph != null) {
                graph.close();
            }
            if (issuer != null) {
                issuer.close();
            }
            mail.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                if (graph != null) {
                    graph.close();
                }
            } finally {
                try {
                    issuer.close();
                } finally {
                    mail.close();
                }
            }
        }
    }
}
