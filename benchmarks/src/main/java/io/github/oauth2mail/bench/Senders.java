package io.github.oauth2mail.bench;

import io.github.oauth2mail.bench.Workload.Path;
import io.github.oauth2mail.bench.Workload.Sender;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.token.TokenRefresher;
import io.github.oauth2mail.transport.AdapterSessions;
import io.github.oauth2mail.transport.MailConnector;
import io.github.oauth2mail.transport.SmtpConnection;
import io.github.oauth2mail.transport.SmtpLease;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/** The ways of sending that the benchmark compares; each thread gets its own {@link Sender}. */
final class Senders {

    static final String FROM = Workload.FROM;
    static final String TO = Workload.TO;
    static final String PASSWORD = "app-password";
    static final String BODY = Workload.BODY;

    private Senders() {
    }

    enum Kind {
        BASELINE("baseline: Transport.send, new connection + AUTH PLAIN per message (Angus)"),
        CONNECTOR("connector: Transport.send through the adapter's Session + pool"),
        LIMIT_ANGUS("limit: one connected Angus SMTPTransport per thread, sendMessage loop"),
        LIMIT_ADAPTER("limit: one adapter SmtpConnection per thread, send loop"),
        PEER("peer: Simple Java Mail 8.12.6 + batch-module connection pool"),
        /** Diagnostic: the connector's pool without Transport.send (lease, send, return), to split the overhead. */
        CONNECTOR_LEASE("diagnostic: the connector's lease/send/close without Transport.send"),
        /** The benchmark WAR in Payara Micro: Transport.send on @Resource Session, the server's JCA pool. */
        PAYARA("connector in Payara Micro: Transport.send through @Resource Session and Payara's JCA pool"),
        /** The same WAR in WildFly, configured by server-config/wildfly/oauth2-mail-connector.cli: IronJacamar's pool. */
        WILDFLY("connector in WildFly: Transport.send through @Resource Session and IronJacamar's JCA pool"),
        /** The same WAR in Open Liberty with server-config/liberty/server.xml: Liberty's JCA pool. */
        LIBERTY("connector in Open Liberty: Transport.send through @Resource Session and Liberty's JCA pool");

        /** The paths measured inside an application server (TLS only, one HTTP request per window). */
        static final java.util.Set<Kind> IN_SERVER = java.util.EnumSet.of(PAYARA, WILDFLY, LIBERTY);

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** Where the sink is and how to reach it. */
    record Target(int port, boolean tls, String tokenEndpoint, int threads) {
    }

    static Path path(Kind kind, Target t) throws Exception {
        switch (kind) {
            case BASELINE:
                return baseline(t);
            case CONNECTOR:
                return connector(t, "bench", Map.of());
            case LIMIT_ANGUS:
                return limitAngus(t);
            case LIMIT_ADAPTER:
                return limitAdapter(t);
            case PEER:
                return peer(t);
            case CONNECTOR_LEASE:
                return connectorLease(t);
            case PAYARA:
            case WILDFLY:
            case LIBERTY:
                return ServerPath.of(kind);
            default:
                throw new IllegalArgumentException(kind.name());
        }
    }

    static MimeMessage message(Session session) throws MessagingException {
        return Workload.message(session);
    }

    /** What an application on a server mail resource does today (new connection, AUTH PLAIN, per message). */
    static Properties angusProperties(Target t) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", String.valueOf(t.port()));
        p.setProperty("mail.smtp.auth", String.valueOf(!noAuth()));
        p.setProperty("mail.smtp.auth.mechanisms", "PLAIN");
        p.setProperty("mail.smtp.starttls.enable", String.valueOf(t.tls()));
        p.setProperty("mail.smtp.starttls.required", String.valueOf(t.tls()));
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        p.setProperty("mail.smtp.connectiontimeout", "10000");
        p.setProperty("mail.smtp.timeout", "60000");
        return p;
    }

    /** Calibration against smtp-sink (which answers AUTH with 250): no AUTH at all. */
    static boolean noAuth() {
        return Boolean.getBoolean("bench.noauth");
    }

    private static Path baseline(Target t) {
        Session session = Session.getInstance(angusProperties(t));
        return () -> {
            MimeMessage msg = message(session);
            return noAuth() ? () -> Transport.send(msg) : () -> Transport.send(msg, FROM, PASSWORD);
        };
    }

    private static Path limitAngus(Target t) {
        Session session = Session.getInstance(angusProperties(t));
        return () -> {
            MimeMessage msg = message(session);
            Transport transport = session.getTransport("smtp");
            transport.connect("127.0.0.1", t.port(), noAuth() ? null : FROM, noAuth() ? null : PASSWORD);
            return new Sender() {
                @Override
                public void send() throws Exception {
                    msg.saveChanges(); // as Transport.send does
                    transport.sendMessage(msg, msg.getAllRecipients());
                }

                @Override
                public void close() throws Exception {
                    transport.close();
                }
            };
        };
    }

    /** The adapter's settings for the sink (no trust store: the benchmark JVM trusts the sink's certificate). */
    static Map<String, String> adapterSettings(Target t, String name, Map<String, String> overrides) {
        String p = "oauth2mail." + name + ".";
        Map<String, String> m = new HashMap<>();
        m.put(p + "provider", "oauth2");
        m.put(p + "token-endpoint", t.tokenEndpoint());
        m.put(p + "client-id", "bench-client");
        m.put(p + "client-secret", "bench-secret");
        m.put(p + "scope", "https://mail.example.com/.default");
        m.put(p + "mailbox", FROM);
        m.put(p + "smtp.host", "127.0.0.1");
        m.put(p + "smtp.port", String.valueOf(t.port()));
        m.put(p + "smtp.tls", "starttls");
        // one connection per sending thread, as the limit and the peer get (the default is Exchange Online's 3)
        m.put(p + "max-connections-per-mailbox", String.valueOf(Math.max(1, t.threads())));
        m.put(p + "connect-timeout-ms", "10000");
        m.put(p + "read-timeout-ms", "60000");
        overrides.forEach((k, v) -> m.put(p + k, v));
        return m;
    }

    static final class ConnectorPath implements Path {
        final OAuth2MailManagedConnectionFactory mcf;
        final Session session;

        ConnectorPath(OAuth2MailManagedConnectionFactory mcf) throws Exception {
            this.mcf = mcf;
            this.session = (Session) mcf.createConnectionFactory();
        }

        @Override
        public Sender newSender() throws Exception {
            MimeMessage msg = message(session);
            return () -> Transport.send(msg);
        }

        @Override
        public void close() {
            mcf.close();
        }
    }

    static ConnectorPath connector(Target t, String name, Map<String, String> overrides) throws Exception {
        return new ConnectorPath(new OAuth2MailManagedConnectionFactory(name,
                SettingsSource.of(adapterSettings(t, name, overrides))));
    }

    private static Path connectorLease(Target t) throws Exception {
        ConnectorPath p = connector(t, "lease", Map.of());
        MailConnector connector = AdapterSessions.connectorOf(p.session);
        return new Path() {
            @Override
            public Sender newSender() throws Exception {
                MimeMessage msg = message(p.session);
                return () -> {
                    msg.saveChanges();
                    try (SmtpLease lease = connector.lease(FROM)) {
                        lease.send(msg, msg.getAllRecipients());
                    }
                };
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    private static Path limitAdapter(Target t) {
        ConnectorSettings settings = ConnectorSettings.load("limit", SettingsSource.of(adapterSettings(t, "limit",
                Map.of())), Map.of());
        TokenRefresher tokens = TokenRefresher.create(settings);
        Session session = Session.getInstance(new Properties());
        return new Path() {
            @Override
            public Sender newSender() throws Exception {
                MimeMessage msg = message(session);
                SmtpConnection c = SmtpConnection.open(settings, TlsSupport.socketFactory(settings), tokens, FROM);
                return new Sender() {
                    @Override
                    public void send() throws Exception {
                        msg.saveChanges();
                        c.send(msg, msg.getAllRecipients());
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                };
            }

            @Override
            public void close() {
                tokens.close();
            }
        };
    }

    private static Path peer(Target t) {
        // TLS: STARTTLS + XOAUTH2, as the adapter; plain: AUTH PLAIN in clear (opportunistic STARTTLS off)
        TransportStrategy strategy = t.tls() ? TransportStrategy.SMTP_OAUTH2 : TransportStrategy.SMTP;
        if (!t.tls()) {
            TransportStrategy.SMTP.setOpportunisticTLS(false);
        }
        Mailer mailer = MailerBuilder.withSMTPServer("127.0.0.1", t.port(), FROM, t.tls() ? "at-static-token" : PASSWORD)
                .withTransportStrategy(strategy)
                .withConnectionPoolCoreSize(t.threads())
                .withConnectionPoolMaxSize(t.threads())
                .withSessionTimeout(60_000)
                .buildMailer();
        Email email = EmailBuilder.startingBlank()
                .from(FROM)
                .to(TO)
                .withSubject("benchmark message")
                .withPlainText(BODY)
                .buildEmail();
        return new Path() {
            @Override
            public Sender newSender() {
                return () -> mailer.sendMail(email, false).get();
            }

            @Override
            public void close() throws Exception {
                mailer.shutdownConnectionPool().get();
            }
        };
    }
}
