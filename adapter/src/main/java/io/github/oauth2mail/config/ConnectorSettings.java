package io.github.oauth2mail.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The validated settings of one connector resource ({@code oauth2mail.<name>.*}): one typed, immutable value, parsed
 * and checked once by {@link #load}, which reports every problem at once. {@link #toString()} shows no secret.
 */
public final class ConnectorSettings {

    /**
     * A value an admin writes as text; the enum's constants are the only allowed values (matched ignoring case).
     * {@link #configValue()} is the spelling in the configuration: the constant's name in lower case unless overridden.
     */
    interface Choice {
        String name();

        default String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which identity provider client is used. */
    public enum Provider implements Choice { ENTRA, OAUTH2 }

    /** The Entra credential (exactly one is configured). */
    public enum Credential {
        CLIENT_SECRET(Setting.CLIENT_SECRET), CERTIFICATE(Setting.CERTIFICATE_PATH),
        MANAGED_IDENTITY(Setting.MANAGED_IDENTITY), FEDERATED_TOKEN_FILE(Setting.FEDERATED_TOKEN_FILE);

        private final Setting setting;

        Credential(Setting setting) {
            this.setting = setting;
        }

        /** The key that configures this credential. */
        Setting setting() {
            return setting;
        }
    }

    /** Generic OAuth2 grants. */
    public enum Grant implements Choice {
        CLIENT_CREDENTIALS, REFRESH_TOKEN, JWT_BEARER;

        @Override
        public String configValue() {
            return this == JWT_BEARER ? "jwt-bearer" : Choice.super.configValue();
        }
    }

    /** How the generic source sends the client secret to the token endpoint. */
    public enum ClientAuth implements Choice { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST }

    /** The SASL mechanism that carries the token; its name is the one in EHLO's AUTH line. */
    public enum Sasl implements Choice {
        XOAUTH2, OAUTHBEARER;

        @Override
        public String configValue() {
            return name();
        }
    }

    /** How TLS is used on a mail connection. */
    public enum Tls implements Choice { STARTTLS, IMPLICIT }

    /** How {@code Transport.send} submits a message. */
    public enum SendVia implements Choice { SMTP, GRAPH }

    public static final String DEFAULT_ENTRA_SCOPE = "https://outlook.office365.com/.default";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private final String name;
    private final Map<Setting, String> values;
    private final Map<Setting, Secret> secrets;
    private final Provider provider;
    private final Credential credential;
    private final Grant grant;
    private final ClientAuth clientAuth;
    private final Sasl sasl;
    private final List<String> scopes;
    private final MailboxRule mailboxes;
    private final Endpoint smtp;
    private final Endpoint imap;
    private final Endpoint pop3;
    private final int maxConnectionsPerMailbox;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration tokenWait;
    private final Duration poolWait;
    private final Duration sendDeadline;
    private final boolean mailDebug;
    private final URI tokenEndpoint;
    private final Map<Setting, Path> paths;
    private final ClientCertificate certificate;
    private final ClientCertificate secondaryCertificate;
    private final Cloud cloud;
    private final TokenProxy tokenProxy;
    private final java.time.LocalDate credentialExpires;
    private final java.time.LocalDate secondaryCredentialExpires;
    /** Where the values came from, kept to read the credentials again ({@link #reload()}). */
    private final SettingsSource source;
    private final Map<Setting, String> poolProperties;
    private final SendVia sendVia;
    private final URI graphEndpoint;
    private final boolean graphDraftRoute;
    private final boolean graphSaveToSentItems;

    private ConnectorSettings(String name, Map<Setting, String> values, Map<Setting, Secret> secrets, Validator v,
                              SettingsSource source, Map<Setting, String> poolProperties) {
        this.name = name;
        this.values = Map.copyOf(values);
        this.secrets = Map.copyOf(secrets);
        this.provider = v.provider;
        this.credential = v.credential;
        this.grant = v.grant;
        this.clientAuth = v.clientAuth;
        this.sasl = v.sasl;
        this.scopes = v.scopes;
        this.mailboxes = v.mailboxes;
        this.smtp = v.smtp;
        this.imap = v.imap;
        this.pop3 = v.pop3;
        this.maxConnectionsPerMailbox = v.maxConnectionsPerMailbox;
        this.connectTimeout = v.connectTimeout;
        this.readTimeout = v.readTimeout;
        this.tokenWait = v.tokenWait;
        this.poolWait = v.poolWait;
        this.sendDeadline = v.sendDeadline;
        this.mailDebug = v.mailDebug;
        this.tokenEndpoint = v.tokenEndpoint;
        this.paths = Map.copyOf(v.paths);
        this.certificate = v.certificate;
        this.secondaryCertificate = v.secondaryCertificate;
        this.cloud = v.cloud;
        this.tokenProxy = v.tokenProxy;
        this.credentialExpires = v.credentialExpires;
        this.secondaryCredentialExpires = v.secondaryCredentialExpires;
        this.source = source;
        this.poolProperties = Map.copyOf(poolProperties);
        this.sendVia = v.sendVia;
        this.graphEndpoint = v.graphEndpoint;
        this.graphDraftRoute = v.graphDraftRoute;
        this.graphSaveToSentItems = v.graphSaveToSentItems;
    }

    /**
     * Reads and validates the settings of connector resource {@code name}.
     *
     * @param source         MicroProfile Config or another source of full keys; wins over pool properties
     * @param poolProperties non-secret values set as config-properties on the pool (may be empty)
     * @throws ConfigurationException listing every problem, each with its full key
     */
    public static ConnectorSettings load(String name, SettingsSource source, Map<Setting, String> poolProperties) {
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("ConfigName: '" + name + "' must be letters, digits, '-' or '_' (it selects the keys "
                    + Setting.PREFIX + "<ConfigName>.*)");
            throw new ConfigurationException(String.valueOf(name), problems);
        }
        Map<Setting, String> values = new java.util.EnumMap<>(Setting.class);
        Map<Setting, Secret> secrets = new java.util.EnumMap<>(Setting.class);
        // the cloud preset supplies the defaults of authority and the mail hosts (an unknown value: reported below)
        Cloud cloud = Cloud.parseOrGlobal(source.get(Setting.CLOUD.fullKey(name)).map(String::trim)
                .filter(x -> !x.isEmpty()).or(() -> Optional.ofNullable(poolProperties.get(Setting.CLOUD))
                        .map(String::trim).filter(x -> !x.isEmpty())).orElse(Setting.CLOUD.defaultValue()));
        for (Setting s : Setting.values()) {
            Optional<String> v = source.get(s.fullKey(name)).map(String::trim);
            if (s.isSecret()) {
                v.ifPresent(x -> secrets.put(s, Secret.of(x)));
                if (poolProperties.containsKey(s)) {
                    problems.add(s.fullKey(name) + ": is a secret and may only come from MicroProfile Config "
                            + "(env var, secret directory, password alias), not from the pool property " + s.poolProperty());
                }
                continue;
            }
            if (v.isEmpty()) {
                v = Optional.ofNullable(poolProperties.get(s)).map(String::trim).filter(x -> !x.isEmpty());
            }
            if (v.isEmpty()) {
                String preset = cloud.presetFor(s);
                v = Optional.ofNullable(preset != null ? preset : s.defaultValue());
            }
            v.ifPresent(x -> values.put(s, x));
        }
        Validator check = new Validator(name, values, secrets, problems);
        check.all();
        if (!problems.isEmpty()) {
            throw new ConfigurationException(name, problems);
        }
        return new ConnectorSettings(name, values, secrets, check, source, poolProperties);
    }

    /**
     * Reads and validates the settings again from the same source and pool properties: MicroProfile Config is asked
     * again (not a cached value) and certificate and key files are read again from disk. Used to pick up rotated
     * credentials without a restart.
     *
     * @throws ConfigurationException when the settings are not valid now
     */
    public ConnectorSettings reload() {
        return load(name, source, poolProperties);
    }

    // ---- accessors ----

    public String name() {
        return name;
    }

    /** The full key of {@code s} for this resource, for error messages. */
    public String key(Setting s) {
        return s.fullKey(name);
    }

    public Provider provider() {
        return provider;
    }

    public String tenantId() {
        return values.get(Setting.TENANT_ID);
    }

    public String clientId() {
        return values.get(Setting.CLIENT_ID);
    }

    /** The configured Entra credential; null for the generic provider. */
    public Credential credential() {
        return credential;
    }

    public Optional<Secret> clientSecret() {
        return Optional.ofNullable(secrets.get(Setting.CLIENT_SECRET));
    }

    public Optional<ClientCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** {@code system} or the client id of a user-assigned identity. */
    public Optional<String> managedIdentity() {
        return Optional.ofNullable(values.get(Setting.MANAGED_IDENTITY));
    }

    public Optional<Path> federatedTokenFile() {
        return Optional.ofNullable(paths.get(Setting.FEDERATED_TOKEN_FILE));
    }

    public Optional<Secret> secondaryClientSecret() {
        return Optional.ofNullable(secrets.get(Setting.SECONDARY_CLIENT_SECRET));
    }

    public Optional<ClientCertificate> secondaryCertificate() {
        return Optional.ofNullable(secondaryCertificate);
    }

    /** The authority with a trailing slash, e.g. {@code https://login.microsoftonline.com/}. */
    public String authorityBase() {
        String a = values.get(Setting.AUTHORITY);
        return a.endsWith("/") ? a : a + "/";
    }

    /** The tenant authority MSAL4J is built with: {@code <authority><tenant-id>/}. */
    public String tenantAuthority() {
        return authorityBase() + tenantId() + "/";
    }

    public Optional<URI> tokenEndpoint() {
        return Optional.ofNullable(tokenEndpoint);
    }

    public Grant grant() {
        return grant;
    }

    public Optional<Secret> refreshToken() {
        return Optional.ofNullable(secrets.get(Setting.REFRESH_TOKEN));
    }

    /** File keeping the newest refresh token across restarts ({@code refresh-token-file}). */
    public Optional<Path> refreshTokenFile() {
        return Optional.ofNullable(paths.get(Setting.REFRESH_TOKEN_FILE));
    }

    /** {@code credential-expires}: the day the client secret or refresh token expires, as the admin knows it. */
    public Optional<java.time.LocalDate> credentialExpires() {
        return Optional.ofNullable(credentialExpires);
    }

    /** {@code secondary.credential-expires}: the day the secondary client secret expires, as the admin knows it. */
    public Optional<java.time.LocalDate> secondaryCredentialExpires() {
        return Optional.ofNullable(secondaryCredentialExpires);
    }

    public Optional<Path> signingKeyPath() {
        return Optional.ofNullable(paths.get(Setting.SIGNING_KEY_PATH));
    }

    public String jwtIssuer() {
        return values.getOrDefault(Setting.JWT_ISSUER, clientId());
    }

    public String jwtAudience() {
        return values.getOrDefault(Setting.JWT_AUDIENCE, values.get(Setting.TOKEN_ENDPOINT));
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Scopes; empty only for a refresh_token grant without scope. */
    public List<String> scopes() {
        return scopes;
    }

    public String mailbox() {
        return mailboxes.mailbox();
    }

    /** The mailboxes, besides {@link #mailbox()}, that an app may name, as configured. */
    public Set<String> allowedMailboxes() {
        return mailboxes.allowed();
    }

    /**
     * The one rule SMTP, IMAP and POP3 use for the mailbox a connect names: null or blank means {@link #mailbox()};
     * otherwise, with surrounding white space removed and ignoring case, it must be {@link #mailbox()} or one of
     * {@link #allowedMailboxes()}, and the result is that mailbox as configured (so a token, a connection budget and
     * the SASL user are always those of one configured spelling). Empty when the mailbox is not allowed.
     */
    public Optional<String> mailboxFor(String user) {
        return mailboxes.resolve(user);
    }

    public Sasl saslMechanism() {
        return sasl;
    }

    public String smtpHost() {
        return smtp.host();
    }

    public int smtpPort() {
        return smtp.port();
    }

    public Tls smtpTls() {
        return smtp.tls();
    }

    public String imapHost() {
        return imap.host();
    }

    public int imapPort() {
        return imap.port();
    }

    public Tls imapTls() {
        return imap.tls();
    }

    public String pop3Host() {
        return pop3.host();
    }

    public int pop3Port() {
        return pop3.port();
    }

    public Tls pop3Tls() {
        return pop3.tls();
    }

    public int maxConnectionsPerMailbox() {
        return maxConnectionsPerMailbox;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Duration tokenWait() {
        return tokenWait;
    }

    public Duration poolWait() {
        return poolWait;
    }

    /** How long one send may take in all while temporary refusals are retried; zero: no retry. */
    public Duration sendDeadline() {
        return sendDeadline;
    }

    public Optional<Path> trustStorePath() {
        return Optional.ofNullable(paths.get(Setting.TRUST_STORE_PATH));
    }

    public Optional<Secret> trustStorePassword() {
        return Optional.ofNullable(secrets.get(Setting.TRUST_STORE_PASSWORD));
    }

    public String trustStoreType() {
        return values.get(Setting.TRUST_STORE_TYPE);
    }

    public boolean mailDebug() {
        return mailDebug;
    }

    /** The Microsoft cloud preset ({@code cloud}), which supplied the defaults of authority, scope and mail hosts. */
    public Cloud cloud() {
        return cloud;
    }

    /** The explicit proxy for token requests ({@code proxy-host}); empty: the JVM's proxy settings apply. */
    public Optional<TokenProxy> tokenProxy() {
        return Optional.ofNullable(tokenProxy);
    }

    /** How {@code Transport.send} submits: SMTP (default) or Microsoft Graph. */
    public SendVia sendVia() {
        return sendVia;
    }

    /** The Graph base URL, e.g. {@code https://graph.microsoft.com} (no trailing slash). */
    public URI graphEndpoint() {
        return graphEndpoint;
    }

    /** True when Bcc and envelope-only recipients may go through a Graph draft (needs {@code Mail.ReadWrite}). */
    public boolean graphDraftRoute() {
        return graphDraftRoute;
    }

    /** False when Graph sends must not keep a copy in Sent Items (JSON sendMail with {@code saveToSentItems=false}). */
    public boolean graphSaveToSentItems() {
        return graphSaveToSentItems;
    }

    @Override
    public String toString() {
        return "ConnectorSettings[" + name + ", " + values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().key() + "=" + e.getValue()).collect(Collectors.joining(", "))
                + ", secrets set=" + secrets.keySet().stream().map(Setting::key).sorted().collect(Collectors.toList()) + "]";
    }

    /**
     * The explicit HTTPS proxy for token requests. {@code user} and {@code password} are both set or both null;
     * {@link #toString()} shows no password.
     */
    public record TokenProxy(String host, int port, String user, Secret password) {

        /** {@code host:port}, for messages. */
        public String address() {
            return host + ":" + port;
        }

        @Override
        public String toString() {
            return "TokenProxy[" + address() + (user == null ? "" : ", user " + user + ", password ****") + "]";
        }
    }

    /** A mail server as configured: host, port and TLS mode. */
    record Endpoint(String host, int port, Tls tls) {
    }
}
