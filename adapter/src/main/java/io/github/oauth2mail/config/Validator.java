package io.github.oauth2mail.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks one resource's raw values and collects every problem, each naming its full key; parses each value once into
 * its type on the way. The allowed values of a choice are its enum's constants ({@link ConnectorSettings.Choice}).
 */
final class Validator {

    private final String name;
    private final Map<Setting, String> values;
    private final Map<Setting, Secret> secrets;
    private final List<String> problems;

    // the typed values, parsed while checking; valid only when no problem was found
    ConnectorSettings.Provider provider;
    ConnectorSettings.Credential credential;
    ConnectorSettings.Grant grant;
    ConnectorSettings.ClientAuth clientAuth;
    ConnectorSettings.Sasl sasl;
    List<String> scopes;
    MailboxRule mailboxes;
    ConnectorSettings.Endpoint smtp;
    ConnectorSettings.Endpoint imap;
    ConnectorSettings.Endpoint pop3;
    int maxConnectionsPerMailbox;
    Duration connectTimeout;
    Duration readTimeout;
    Duration tokenWait;
    Duration poolWait;
    Duration sendDeadline;
    boolean mailDebug;
    URI tokenEndpoint;
    final Map<Setting, Path> paths = new EnumMap<>(Setting.class);
    ClientCertificate certificate;
    ClientCertificate secondaryCertificate;
    Cloud cloud;
    ConnectorSettings.TokenProxy tokenProxy;
    java.time.LocalDate credentialExpires;
    java.time.LocalDate secondaryCredentialExpires;
    ConnectorSettings.SendVia sendVia;
    URI graphEndpoint;
    boolean graphDraftRoute;
    boolean graphSaveToSentItems;

    Validator(String name, Map<Setting, String> values, Map<Setting, Secret> secrets, List<String> problems) {
        this.name = name;
        this.values = values;
        this.secrets = secrets;
        this.problems = problems;
    }

    void all() {
        for (Setting s : new Setting[] {Setting.CERTIFICATE_PATH, Setting.SECONDARY_CERTIFICATE_PATH,
                Setting.FEDERATED_TOKEN_FILE, Setting.SIGNING_KEY_PATH, Setting.TRUST_STORE_PATH,
                Setting.REFRESH_TOKEN_FILE}) {
            path(s);
        }
        cloud = choice(Setting.CLOUD, Cloud.class);
        provider = choice(Setting.PROVIDER, ConnectorSettings.Provider.class);
        grant = choice(Setting.GRANT_TYPE, ConnectorSettings.Grant.class);
        clientAuth = choice(Setting.CLIENT_AUTH, ConnectorSettings.ClientAuth.class);
        if (provider == ConnectorSettings.Provider.ENTRA) {
            entra();
        } else if (provider == ConnectorSettings.Provider.OAUTH2) {
            oauth2();
        }
        sendVia = choice(Setting.SEND_VIA, ConnectorSettings.SendVia.class);
        graph();
        scopes = scopes();
        mailboxes();
        sasl = choice(Setting.SASL_MECHANISM, ConnectorSettings.Sasl.class);
        smtp = endpoint(Setting.SMTP_HOST, Setting.SMTP_PORT, Setting.SMTP_TLS);
        imap = endpoint(Setting.IMAP_HOST, Setting.IMAP_PORT, Setting.IMAP_TLS);
        pop3 = endpoint(Setting.POP3_HOST, Setting.POP3_PORT, Setting.POP3_TLS);
        maxConnectionsPerMailbox = (int) number(Setting.MAX_CONNECTIONS_PER_MAILBOX, 1, 100);
        connectTimeout = Duration.ofMillis(number(Setting.CONNECT_TIMEOUT_MS, 1, 600_000));
        readTimeout = Duration.ofMillis(number(Setting.READ_TIMEOUT_MS, 1, 600_000));
        tokenWait = Duration.ofMillis(number(Setting.TOKEN_WAIT_MS, 1, 600_000));
        poolWait = Duration.ofMillis(number(Setting.POOL_WAIT_MS, 0, 600_000));
        sendDeadline = Duration.ofMillis(number(Setting.SEND_DEADLINE_MS, 0, 3_600_000));
        mailDebug = bool(Setting.MAIL_DEBUG);
        proxy();
        if (has(Setting.TRUST_STORE_PATH)) {
            readableFile(Setting.TRUST_STORE_PATH);
        } else if (secrets.containsKey(Setting.TRUST_STORE_PASSWORD)) {
            problem(Setting.TRUST_STORE_PASSWORD, "is set but " + key(Setting.TRUST_STORE_PATH) + " is not");
        }
        credentialExpires();
        secondaryCredentialExpires();
    }

    /** {@code credential-expires}: an ISO date, for credentials whose expiry the adapter cannot read itself. */
    private void credentialExpires() {
        if (!has(Setting.CREDENTIAL_EXPIRES)) {
            return;
        }
        credentialExpires = isoDate(Setting.CREDENTIAL_EXPIRES);
        if (has(Setting.CERTIFICATE_PATH) || has(Setting.MANAGED_IDENTITY)) {
            problem(Setting.CREDENTIAL_EXPIRES, "is not used with " + (has(Setting.CERTIFICATE_PATH)
                    ? key(Setting.CERTIFICATE_PATH) + " (the certificate's own expiry date is read)"
                    : key(Setting.MANAGED_IDENTITY) + " (no credential to expire)") + "; remove it");
        }
    }

    /** {@code secondary.credential-expires}: an ISO date, only with {@code secondary.client-secret}. */
    private void secondaryCredentialExpires() {
        if (!has(Setting.SECONDARY_CREDENTIAL_EXPIRES)) {
            return;
        }
        secondaryCredentialExpires = isoDate(Setting.SECONDARY_CREDENTIAL_EXPIRES);
        if (!has(Setting.SECONDARY_CLIENT_SECRET)) {
            problem(Setting.SECONDARY_CREDENTIAL_EXPIRES, "is only used with " + key(Setting.SECONDARY_CLIENT_SECRET)
                    + (has(Setting.SECONDARY_CERTIFICATE_PATH) ? " (a secondary certificate's own expiry date is read)"
                    : "") + "; remove it");
        }
    }

    /** The ISO date in {@code s}, or null with a problem naming the key. */
    private java.time.LocalDate isoDate(Setting s) {
        try {
            return java.time.LocalDate.parse(values.get(s));
        } catch (java.time.format.DateTimeParseException e) {
            problem(s, "'" + values.get(s) + "' is not an ISO date (yyyy-mm-dd)");
            return null;
        }
    }

    /** {@code refresh-token-file}: its folder must exist; a file that exists must be readable. */
    private boolean refreshTokenFile() {
        Path p = paths.get(Setting.REFRESH_TOKEN_FILE);
        if (p == null) {
            return false;
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            problem(Setting.REFRESH_TOKEN_FILE, "folder " + dir + " does not exist or is not writable (the file is "
                    + "rewritten there)");
            return false;
        }
        if (Files.exists(p)) {
            if (!readableFile(Setting.REFRESH_TOKEN_FILE)) {
                return false;
            }
            try {
                return Files.size(p) > 0;
            } catch (java.io.IOException e) {
                problem(Setting.REFRESH_TOKEN_FILE, "file " + p + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return false;
    }

    private void entra() {
        boolean managed = has(Setting.MANAGED_IDENTITY);
        if (!managed) {
            required(Setting.TENANT_ID);
            required(Setting.CLIENT_ID);
        }
        List<Setting> credentials = new ArrayList<>();
        for (ConnectorSettings.Credential c : ConnectorSettings.Credential.values()) {
            if (has(c.setting())) {
                credentials.add(c.setting());
                credential = c;
            }
        }
        if (credentials.isEmpty()) {
            problems.add(Setting.PREFIX + name + ".{client-secret|certificate-path|managed-identity|federated-token-file}:"
                    + " no credential is set; set exactly one");
        } else if (credentials.size() > 1) {
            problems.add(Setting.PREFIX + name + ".{" + String.join("|", credentials.stream().map(Setting::key)
                    .toArray(String[]::new)) + "}: " + credentials.size() + " credentials are set; set exactly one");
        }
        if (has(Setting.CERTIFICATE_PATH)) {
            certificate = certificate(Setting.CERTIFICATE_PATH, Setting.CERTIFICATE_PASSWORD);
        } else if (has(Setting.CERTIFICATE_PASSWORD)) {
            problem(Setting.CERTIFICATE_PASSWORD, "is set but " + key(Setting.CERTIFICATE_PATH) + " is not");
        }
        if (has(Setting.FEDERATED_TOKEN_FILE)) {
            readableFile(Setting.FEDERATED_TOKEN_FILE);
        }
        if (has(Setting.SECONDARY_CLIENT_SECRET) && has(Setting.SECONDARY_CERTIFICATE_PATH)) {
            problem(Setting.SECONDARY_CLIENT_SECRET, "and " + key(Setting.SECONDARY_CERTIFICATE_PATH)
                    + " are both set; set at most one secondary credential");
        }
        boolean secondary = has(Setting.SECONDARY_CLIENT_SECRET) || has(Setting.SECONDARY_CERTIFICATE_PATH);
        if (secondary && (managed || has(Setting.FEDERATED_TOKEN_FILE))) {
            problems.add(Setting.PREFIX + name + ".secondary.*: a secondary credential only works with client-secret or "
                    + "certificate-path as the primary credential");
        }
        if (has(Setting.SECONDARY_CERTIFICATE_PATH)) {
            secondaryCertificate = certificate(Setting.SECONDARY_CERTIFICATE_PATH, Setting.SECONDARY_CERTIFICATE_PASSWORD);
        }
        httpsUrl(Setting.AUTHORITY);
        forbidden(Setting.TOKEN_ENDPOINT, "provider=entra");
        forbidden(Setting.REFRESH_TOKEN, "provider=entra");
        forbidden(Setting.SIGNING_KEY_PATH, "provider=entra");
        forbidden(Setting.REFRESH_TOKEN_FILE, "provider=entra");
    }

    private void oauth2() {
        required(Setting.TOKEN_ENDPOINT);
        if (has(Setting.TOKEN_ENDPOINT)) {
            tokenEndpoint = httpsUrl(Setting.TOKEN_ENDPOINT);
        }
        required(Setting.CLIENT_ID);
        if (grant == ConnectorSettings.Grant.CLIENT_CREDENTIALS) {
            required(Setting.CLIENT_SECRET);
            required(Setting.SCOPE);
        } else if (grant == ConnectorSettings.Grant.REFRESH_TOKEN) {
            if (!refreshTokenFile()) { // an existing, non-empty refresh-token-file is enough
                required(Setting.REFRESH_TOKEN);
            }
        } else if (grant == ConnectorSettings.Grant.JWT_BEARER) {
            required(Setting.SIGNING_KEY_PATH);
            required(Setting.SCOPE);
            if (has(Setting.SIGNING_KEY_PATH) && readableFile(Setting.SIGNING_KEY_PATH)) {
                try {
                    ClientCertificate.PemKeys.fromFile(paths.get(Setting.SIGNING_KEY_PATH));
                } catch (IllegalArgumentException e) {
                    problem(Setting.SIGNING_KEY_PATH, e.getMessage());
                }
            }
        }
        for (Setting s : new Setting[] {Setting.CERTIFICATE_PATH, Setting.MANAGED_IDENTITY, Setting.FEDERATED_TOKEN_FILE,
                Setting.SECONDARY_CERTIFICATE_PATH}) {
            forbidden(s, "provider=oauth2");
        }
        if (grant != ConnectorSettings.Grant.REFRESH_TOKEN) {
            forbidden(Setting.REFRESH_TOKEN_FILE, "grant-type=" + (grant == null ? "?" : grant.configValue()));
        }
        if (has(Setting.SECONDARY_CLIENT_SECRET) && grant != ConnectorSettings.Grant.CLIENT_CREDENTIALS) {
            problem(Setting.SECONDARY_CLIENT_SECRET, "is only used with grant-type=client_credentials; remove it");
        }
    }

    /** The Graph keys: an absolute https URL without query or fragment, and the draft-route switch. */
    private void graph() {
        graphDraftRoute = bool(Setting.GRAPH_DRAFT_ROUTE);
        graphSaveToSentItems = bool(Setting.GRAPH_SAVE_TO_SENT_ITEMS);
        URI u = httpsUrl(Setting.GRAPH_ENDPOINT);
        if (u == null || u.getHost() == null || !"https".equalsIgnoreCase(u.getScheme())) {
            return;
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            problem(Setting.GRAPH_ENDPOINT, "'" + values.get(Setting.GRAPH_ENDPOINT) + "' must be a base URL without "
                    + "user info, query or fragment");
            return;
        }
        String s = u.toString();
        graphEndpoint = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    private void mailboxes() {
        required(Setting.MAILBOX);
        boolean ok = true;
        if (has(Setting.MAILBOX) && !MailboxRule.isMailbox(values.get(Setting.MAILBOX))) {
            problem(Setting.MAILBOX, "'" + values.get(Setting.MAILBOX) + "' is not a mail address");
            ok = false;
        }
        List<String> allowed = MailboxRule.split(values.getOrDefault(Setting.ALLOWED_MAILBOXES, ""));
        for (String m : allowed) {
            if (!MailboxRule.isMailbox(m)) {
                problem(Setting.ALLOWED_MAILBOXES, "'" + m + "' is not a mail address");
                ok = false;
            }
        }
        if (ok && has(Setting.MAILBOX)) {
            mailboxes = new MailboxRule(values.get(Setting.MAILBOX), allowed);
        }
    }

    /** {@code proxy-*}: host and port together; user and password together, and only with a host. */
    private void proxy() {
        boolean host = has(Setting.PROXY_HOST);
        if (host) {
            String h = values.get(Setting.PROXY_HOST);
            if (h.contains("/") || h.contains(":") && !h.startsWith("[")) {
                problem(Setting.PROXY_HOST, "'" + h + "' must be a host name or IP address only (the port goes in "
                        + key(Setting.PROXY_PORT) + ")");
            }
            required(Setting.PROXY_PORT);
        } else {
            for (Setting s : new Setting[] {Setting.PROXY_PORT, Setting.PROXY_USER, Setting.PROXY_PASSWORD}) {
                if (has(s)) {
                    problem(s, "is set but " + key(Setting.PROXY_HOST) + " is not");
                }
            }
            return;
        }
        if (has(Setting.PROXY_USER) != has(Setting.PROXY_PASSWORD)) {
            problem(has(Setting.PROXY_USER) ? Setting.PROXY_PASSWORD : Setting.PROXY_USER, "is required when "
                    + key(has(Setting.PROXY_USER) ? Setting.PROXY_USER : Setting.PROXY_PASSWORD) + " is set"
                    + (has(Setting.PROXY_USER) ? " (set it through MicroProfile Config, e.g. env var "
                    + envName(Setting.PROXY_PASSWORD) + ")" : ""));
        }
        if (has(Setting.PROXY_PORT)) {
            int port = (int) number(Setting.PROXY_PORT, 1, 65535);
            tokenProxy = new ConnectorSettings.TokenProxy(values.get(Setting.PROXY_HOST), port,
                    values.get(Setting.PROXY_USER), secrets.get(Setting.PROXY_PASSWORD));
        }
    }

    private List<String> scopes() {
        String s = values.get(Setting.SCOPE);
        if (s == null) {
            if (provider != ConnectorSettings.Provider.ENTRA) {
                return List.of();
            }
            if (sendVia == ConnectorSettings.SendVia.GRAPH) { // the cloud's Graph resource, whatever graph-endpoint says
                return List.of((cloud == null ? Cloud.GLOBAL : cloud).graphEndpoint() + "/.default");
            }
            return List.of((cloud == null ? Cloud.GLOBAL : cloud).scope());
        }
        return Arrays.stream(s.split("[\\s,]+")).filter(x -> !x.isEmpty()).collect(Collectors.toUnmodifiableList());
    }

    private ClientCertificate certificate(Setting path, Setting password) {
        if (!readableFile(path)) {
            return null;
        }
        try {
            return ClientCertificate.load(paths.get(path), secrets.get(password));
        } catch (IllegalArgumentException e) {
            problem(e instanceof ClientCertificate.WrongPassword ? password : path, e.getMessage());
            return null;
        }
    }

    /** Parses the path of file setting {@code s} once, when set. */
    private void path(Setting s) {
        if (has(s)) {
            try {
                paths.put(s, Path.of(values.get(s)));
            } catch (InvalidPathException e) {
                problem(s, "'" + values.get(s) + "' is not a valid file path");
            }
        }
    }

    private boolean readableFile(Setting s) {
        Path p = paths.get(s);
        if (p == null) {
            return false; // not a valid path: reported by path()
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            problem(s, "file " + p + " does not exist or is not readable");
            return false;
        }
        return true;
    }

    private URI httpsUrl(Setting s) {
        String v = values.get(s);
        try {
            URI u = new URI(v);
            if (u.getHost() == null) {
                problem(s, "'" + v + "' is not an absolute URL");
            } else if (!"https".equalsIgnoreCase(u.getScheme())) {
                problem(s, "'" + v + "' must use https (tokens are never fetched over plain http)");
            }
            return u;
        } catch (URISyntaxException e) {
            problem(s, "'" + v + "' is not a valid URL");
            return null;
        }
    }

    private ConnectorSettings.Endpoint endpoint(Setting host, Setting port, Setting tls) {
        required(host);
        return new ConnectorSettings.Endpoint(values.get(host), (int) number(port, 1, 65535),
                choice(tls, ConnectorSettings.Tls.class));
    }

    /** The whole number {@code s} in {@code min..max}; a problem and {@code min} otherwise. */
    private long number(Setting s, long min, long max) {
        String v = values.get(s);
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
            problem(s, "'" + v + "' is out of range " + min + ".." + max);
        } catch (NumberFormatException e) {
            problem(s, "'" + v + "' is not a whole number");
        }
        return min;
    }

    private boolean bool(Setting s) {
        String v = values.get(s);
        if (!"true".equalsIgnoreCase(v) && !"false".equalsIgnoreCase(v)) {
            problem(s, "'" + v + "' is not one of [false, true]");
        }
        return "true".equalsIgnoreCase(v);
    }

    /** The constant of {@code type} whose configuration spelling is {@code s}'s value, ignoring case; else null. */
    private <E extends Enum<E> & ConnectorSettings.Choice> E choice(Setting s, Class<E> type) {
        String v = values.get(s);
        for (E e : type.getEnumConstants()) {
            if (e.configValue().equalsIgnoreCase(v)) {
                return e;
            }
        }
        problem(s, "'" + v + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(ConnectorSettings.Choice::configValue).sorted().collect(Collectors.toList()));
        return null;
    }

    private void required(Setting s) {
        if (!has(s)) {
            problem(s, "is required" + (s.isSecret() ? " (set it through MicroProfile Config, e.g. env var "
                    + envName(s) + ")" : ""));
        }
    }

    private void forbidden(Setting s, String why) {
        if (has(s)) {
            problem(s, "is not used with " + why + "; remove it");
        }
    }

    private boolean has(Setting s) {
        return s.isSecret() ? secrets.containsKey(s) : values.containsKey(s);
    }

    private String key(Setting s) {
        return s.fullKey(name);
    }

    private String envName(Setting s) {
        return key(s).replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private void problem(Setting s, String text) {
        problems.add(key(s) + ": " + text);
    }
}
