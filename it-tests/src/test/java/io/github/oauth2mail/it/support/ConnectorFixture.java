package io.github.oauth2mail.it.support;

import io.github.oauth2mail.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * GreenMail + the local token issuer + Payara Micro with the connector and the sample app, wired by
 * {@code server-config/payara/post-boot-connector.asadmin} exactly as it is checked in. Per-run values (ports, the
 * token endpoint, the trust store) and the secrets go to the Payara process as environment variables: MicroProfile
 * Config keys {@code oauth2mail.demo.*} and the {@code ${ENV=..}} references of the post-boot file. The Payara JVM
 * gets no javax.net.ssl trust store: the connector must trust the test certificate through its own
 * {@code trust-store-path} setting.
 */
public final class ConnectorFixture implements AutoCloseable {

    public static final String CONFIG_NAME = "demo";
    public static final String MAILBOX = "app@example.com";
    public static final String CLIENT_ID = "oauth2mail-demo-client";
    public static final String SCOPE = "mail.send mail.read";
    /** Only ever passed through the environment; tests look for it in the server log. */
    public static final String CLIENT_SECRET = "demo-client-secret-Zq81x";
    public static final String TRUST_STORE_PASSWORD = "demo-trust-pw-K3v9";

    private final MailServer mail;
    private final TokenIssuer issuer;
    private final PayaraMicro payara;

    private ConnectorFixture(MailServer mail, TokenIssuer issuer, PayaraMicro payara) {
        this.mail = mail;
        this.issuer = issuer;
        this.payara = payara;
    }

    /** What to start; {@link #env} can override or remove ({@code null}) any default variable. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public MailServer mail() {
        return mail;
    }

    public TokenIssuer issuer() {
        return issuer;
    }

    public PayaraMicro payara() {
        return payara;
    }

    public SampleAppClient app() {
        return new SampleAppClient(payara.sampleApp());
    }

    @Override
    public void close() {
        try {
            if (payara != null) {
                payara.close();
            }
        } finally {
            try {
                issuer.close();
            } finally {
                mail.close();
            }
        }
    }

    /** Start options. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private long tokenLifetimeSeconds = 3600;
        private Consumer<String> echo;
        private Consumer<String> onIssue = token -> { };
        private int httpPort;
        private final java.util.List<Path> extraDeployments = new java.util.ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final java.util.List<String> postBootCommands = new java.util.ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Sets ({@code value != null}) or removes ({@code null}) an environment variable of the Payara process. */
        public Builder env(String variable, String value) {
            overrides.put(variable, value);
            return this;
        }

        public Builder tokenLifetimeSeconds(long seconds) {
            this.tokenLifetimeSeconds = seconds;
            return this;
        }

        /** One more archive for {@code --deploy}, after the sample app (the ops tests add the health WAR). */
        public Builder deploy(Path archive) {
            extraDeployments.add(archive);
            return this;
        }

        /** A {@code -D} JVM option of the Payara process (the ops tests open JMX remote with it). */
        public Builder systemProperty(String name, String value) {
            systemProperties.put(name, value);
            return this;
        }

        /**
         * One more asadmin command, run before those of the checked-in post-boot file (which stays unchanged; the
         * fixture runs a copy with the extra lines in front), e.g. server configuration the connector reads.
         */
        public Builder postBootCommand(String command) {
            postBootCommands.add(command);
            return this;
        }

        /** Payara's HTTP port; 0 (the default) picks a free one. */
        public Builder httpPort(int value) {
            this.httpPort = value;
            return this;
        }

        /** Told about every token the issuer hands out (the demo prints it). */
        public Builder onTokenIssued(Consumer<String> value) {
            this.onIssue = value;
            return this;
        }

        public Builder echo(Consumer<String> value) {
            this.echo = value;
            return this;
        }

        public ConnectorFixture start() throws IOException {
            Path work = Layout.work(name);
            TestCertificates certs = Layout.certificates();
            Path trustStore = withPassword(certs.trustStore(), work.resolve("connector-trust.p12"));
            MailServer mail = MailServer.start(certs, MAILBOX, "no-password-login-" + System.nanoTime());
            TokenIssuer issuer = null;
            try {
                issuer = TokenIssuer.start(certs, CLIENT_ID, CLIENT_SECRET, tokenLifetimeSeconds, onIssue);
                mail.acceptTokensFrom(issuer);
                Map<String, String> env = new LinkedHashMap<>();
                env.put("OAUTH2MAIL_RAR", Layout.adapterRar().toString());
                env.put("OAUTH2MAIL_DEMO_TOKEN_ENDPOINT", issuer.endpoint().toString());
                env.put("OAUTH2MAIL_DEMO_CLIENT_ID", CLIENT_ID);
                env.put("OAUTH2MAIL_DEMO_CLIENT_SECRET", CLIENT_SECRET);
                env.put("OAUTH2MAIL_DEMO_SCOPE", SCOPE);
                env.put("OAUTH2MAIL_DEMO_MAILBOX", MAILBOX);
                env.put("OAUTH2MAIL_DEMO_SMTP_PORT", String.valueOf(mail.smtpsPort()));
                env.put("OAUTH2MAIL_DEMO_IMAP_PORT", String.valueOf(mail.imapsPort()));
                env.put("OAUTH2MAIL_DEMO_POP3_HOST", MailServer.HOST);
                env.put("OAUTH2MAIL_DEMO_POP3_PORT", String.valueOf(mail.pop3sPort()));
                env.put("OAUTH2MAIL_DEMO_TRUST_STORE_PATH", trustStore.toString());
                env.put("OAUTH2MAIL_DEMO_TRUST_STORE_PASSWORD", TRUST_STORE_PASSWORD);
                overrides.forEach((k, v) -> {
                    if (v == null) {
                        env.remove(k);
                    } else {
                        env.put(k, v);
                    }
                });
                PayaraMicro.Builder payara = PayaraMicro.builder(work)
                        .postBootCommandFile(postBootFile(work, postBootCommands))
                        .deploy(Layout.sampleWar())
                        .httpPort(httpPort)
                        .echo(echo);
                env.forEach(payara::env);
                extraDeployments.forEach(payara::deploy);
                systemProperties.forEach(payara::systemProperty);
                return new ConnectorFixture(mail, issuer, payara.start());
            } catch (IOException | RuntimeException e) {
                if (issuer != null) {
                    issuer.close();
                }
                mail.close();
                throw e;
            }
        }
    }

    /** The checked-in post-boot file, or a copy of it in {@code work} with the extra commands in front. */
    private static Path postBootFile(Path work, java.util.List<String> extra) throws IOException {
        Path checkedIn = Layout.payaraConfig().resolve("post-boot-connector.asadmin");
        if (extra.isEmpty()) {
            return checkedIn;
        }
        Path copy = work.resolve("post-boot-connector.asadmin");
        Files.writeString(copy, String.join("\n", extra) + "\n" + Files.readString(checkedIn));
        return copy;
    }

    /**
     * The generic OAuth2 settings' placeholders of the docs (docs/servers.md's {@code oauth2-settings} block:
     * {@code TOKEN_ENDPOINT} ... {@code IMAP_PORT}) for this issuer and mail server (SMTPS and IMAPS).
     */
    public static Map<String, String> oauth2Placeholders(TokenIssuer issuer, MailServer mail) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("TOKEN_ENDPOINT", issuer.endpoint().toString());
        p.put("CLIENT_ID", CLIENT_ID);
        p.put("CLIENT_SECRET", CLIENT_SECRET);
        p.put("SCOPE", SCOPE);
        p.put("MAILBOX", MAILBOX);
        p.put("SMTP_HOST", MailServer.HOST);
        p.put("SMTP_PORT", String.valueOf(mail.smtpsPort()));
        p.put("IMAP_HOST", MailServer.HOST);
        p.put("IMAP_PORT", String.valueOf(mail.imapsPort()));
        return p;
    }

    /** What must never reach a log: the client secret, the trust store password and every token the issuer issued. */
    public static Map<String, String> secrets(TokenIssuer issuer) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("client secret", CLIENT_SECRET);
        secrets.put("trust store password", TRUST_STORE_PASSWORD);
        List<String> tokens = issuer.issuedTokens();
        for (int i = 0; i < tokens.size(); i++) {
            secrets.put("token " + (i + 1), tokens.get(i));
        }
        return secrets;
    }

    /** A copy of the test trust store under {@link #TRUST_STORE_PASSWORD}, so a leak of that password is noticeable. */
    public static Path withPassword(Path trustStore, Path target) {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, TestCertificates.PASSWORD.toCharArray());
            try (OutputStream out = Files.newOutputStream(target)) {
                ks.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
