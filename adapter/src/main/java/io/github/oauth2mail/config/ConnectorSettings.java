package io.github.oauth2mail.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The validated settings of one connector resource ({@code oauth2mail.<name>.*}). Immutable; built once by
 * {@link #load}, which reports every problem at once. {@link #toString()} shows no secret.
 */
public final class ConnectorSettings {

    /** Which identity provider client is used. */
    public enum Provider { ENTRA, OAUTH2 }

    /** The Entra credential (exactly one is configured). */
    public enum Credential { CLIENT_SECRET, CERTIFICATE, MANAGED_IDENTITY, FEDERATED_TOKEN_FILE }

    /** Generic OAuth2 grants. */
    public enum Grant { CLIENT_CREDENTIALS, REFRESH_TOKEN, JWT_BEARER }

    /** How TLS is used on a mail connection. */
    public enum Tls { STARTTLS, IMPLICIT }

    public static final String DEFAULT_ENTRA_SCOPE = "https://outlook.office365.com/.default";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern MAILBOX = Pattern.compile("[^\\s@<>()\\[\\],;:\"\\\\]+@[^\\s@<>()\\[\\],;:\"\\\\]+");

    private final String name;
    private final Map<Setting, String> values;
    private final Map<Setting, Secret> secrets;
    private final ClientCertificate certificate;
    private final ClientCertificate secondaryCertificate;

    private ConnectorSettings(String name, Map<Setting, String> values, Map<Setting, Secret> secrets,
                              ClientCertificate certificate, ClientCertificate secondaryCertificate) {
        this.name = name;
        this.values = values;
        this.secrets = secrets;
        this.certificate = certificate;
        this.secondaryCertificate = secondaryCertificate;
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
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        Map<Setting, Secret> secrets = new EnumMap<>(Setting.class);
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
            if (v.isEmpty() && s.defaultValue() != null) {
                v = Optional.of(s.defaultValue());
            }
            v.ifPresent(x -> values.put(s, x));
        }
        Validator check = new Validator(name, values, secrets, problems);
        check.all();
        if (!problems.isEmpty()) {
            throw new ConfigurationException(name, problems);
        }
        return new ConnectorSettings(name, values, secrets, check.certificate, check.secondaryCertificate);
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
        return Provider.valueOf(values.get(Setting.PROVIDER).toUpperCase(Locale.ROOT));
    }

    public String tenantId() {
        return values.get(Setting.TENANT_ID);
    }

    public String clientId() {
        return values.get(Setting.CLIENT_ID);
    }

    /** The configured Entra credential; null for the generic provider. */
    public Credential credential() {
        if (provider() != Provider.ENTRA) {
            return null;
        }
        if (secrets.containsKey(Setting.CLIENT_SECRET)) {
            return Credential.CLIENT_SECRET;
        }
        if (values.containsKey(Setting.CERTIFICATE_PATH)) {
            return Credential.CERTIFICATE;
        }
        if (values.containsKey(Setting.MANAGED_IDENTITY)) {
            return Credential.MANAGED_IDENTITY;
        }
        return Credential.FEDERATED_TOKEN_FILE;
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
        return Optional.ofNullable(values.get(Setting.FEDERATED_TOKEN_FILE)).map(Path::of);
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
        return Optional.ofNullable(values.get(Setting.TOKEN_ENDPOINT)).map(URI::create);
    }

    public Grant grant() {
        return Grant.valueOf(values.get(Setting.GRANT_TYPE).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public Optional<Secret> refreshToken() {
        return Optional.ofNullable(secrets.get(Setting.REFRESH_TOKEN));
    }

    public Optional<Path> signingKeyPath() {
        return Optional.ofNullable(values.get(Setting.SIGNING_KEY_PATH)).map(Path::of);
    }

    public String jwtIssuer() {
        return values.getOrDefault(Setting.JWT_ISSUER, clientId());
    }

    public String jwtAudience() {
        return values.getOrDefault(Setting.JWT_AUDIENCE, values.get(Setting.TOKEN_ENDPOINT));
    }

    /** {@code client_secret_basic} or {@code client_secret_post}. */
    public String clientAuth() {
        return values.get(Setting.CLIENT_AUTH);
    }

    /** Scopes; empty only for a refresh_token grant without scope. */
    public List<String> scopes() {
        String s = values.get(Setting.SCOPE);
        if (s == null) {
            return provider() == Provider.ENTRA ? List.of(DEFAULT_ENTRA_SCOPE) : List.of();
        }
        return Arrays.stream(s.split("[\\s,]+")).filter(x -> !x.isEmpty()).collect(Collectors.toList());
    }

    public String mailbox() {
        return values.get(Setting.MAILBOX);
    }

    /** Lower-cased mailboxes, besides {@link #mailbox()}, that an app may name. */
    public Set<String> allowedMailboxes() {
        return Arrays.stream(values.get(Setting.ALLOWED_MAILBOXES).split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).map(x -> x.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** True when {@code mailbox} is the default one or an allowed one (case-insensitive). */
    public boolean mayUse(String mailbox) {
        return mailbox != null && (mailbox.equalsIgnoreCase(mailbox())
                || allowedMailboxes().contains(mailbox.toLowerCase(Locale.ROOT)));
    }

    public String saslMechanism() {
        return values.get(Setting.SASL_MECHANISM).toUpperCase(Locale.ROOT);
    }

    public String smtpHost() {
        return values.get(Setting.SMTP_HOST);
    }

    public int smtpPort() {
        return Integer.parseInt(values.get(Setting.SMTP_PORT));
    }

    public Tls smtpTls() {
        return Tls.valueOf(values.get(Setting.SMTP_TLS).toUpperCase(Locale.ROOT));
    }

    public String imapHost() {
        return values.get(Setting.IMAP_HOST);
    }

    public int imapPort() {
        return Integer.parseInt(values.get(Setting.IMAP_PORT));
    }

    public Tls imapTls() {
        return Tls.valueOf(values.get(Setting.IMAP_TLS).toUpperCase(Locale.ROOT));
    }

    public String pop3Host() {
        return values.get(Setting.POP3_HOST);
    }

    public int pop3Port() {
        return Integer.parseInt(values.get(Setting.POP3_PORT));
    }

    public Tls pop3Tls() {
        return Tls.valueOf(values.get(Setting.POP3_TLS).toUpperCase(Locale.ROOT));
    }

    public int maxConnectionsPerMailbox() {
        return Integer.parseInt(values.get(Setting.MAX_CONNECTIONS_PER_MAILBOX));
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(Long.parseLong(values.get(Setting.CONNECT_TIMEOUT_MS)));
    }

    public Duration readTimeout() {
        return Duration.ofMillis(Long.parseLong(values.get(Setting.READ_TIMEOUT_MS)));
    }

    public Duration tokenWait() {
        return Duration.ofMillis(Long.parseLong(values.get(Setting.TOKEN_WAIT_MS)));
    }

    public Duration poolWait() {
        return Duration.ofMillis(Long.parseLong(values.get(Setting.POOL_WAIT_MS)));
    }

    public Optional<Path> trustStorePath() {
        return Optional.ofNullable(values.get(Setting.TRUST_STORE_PATH)).map(Path::of);
    }

    public Optional<Secret> trustStorePassword() {
        return Optional.ofNullable(secrets.get(Setting.TRUST_STORE_PASSWORD));
    }

    public String trustStoreType() {
        return values.get(Setting.TRUST_STORE_TYPE);
    }

    public boolean mailDebug() {
        return Boolean.parseBoolean(values.get(Setting.MAIL_DEBUG));
    }

    /** Non-secret values, for diagnostics. */
    public Map<Setting, String> publicValues() {
        return Map.copyOf(values);
    }

    /** Names of the secrets that are set (never their values). */
    public Set<Setting> secretsSet() {
        return Set.copyOf(secrets.keySet());
    }

    @Override
    public String toString() {
        return "ConnectorSettings[" + name + ", " + values.entrySet().stream()
                .map(e -> e.getKey().key() + "=" + e.getValue()).collect(Collectors.joining(", "))
                + ", secrets set=" + secrets.keySet().stream().map(Setting::key).sorted().collect(Collectors.toList()) + "]";
    }

    static boolean isMailbox(String s) {
        return s != null && MAILBOX.matcher(s).matches();
    }
}
