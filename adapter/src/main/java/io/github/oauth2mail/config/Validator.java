package io.github.oauth2mail.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Checks one resource's raw values and collects every problem, each naming its full key. */
final class Validator {

    private static final Set<String> PROVIDERS = Set.of("entra", "oauth2");
    private static final Set<String> GRANTS = Set.of("client_credentials", "refresh_token", "jwt-bearer");
    private static final Set<String> TLS = Set.of("starttls", "implicit");
    private static final Set<String> MECHANISMS = Set.of("XOAUTH2", "OAUTHBEARER");
    private static final Set<String> CLIENT_AUTH = Set.of("client_secret_basic", "client_secret_post");

    private final String name;
    private final Map<Setting, String> values;
    private final Map<Setting, Secret> secrets;
    private final List<String> problems;
    ClientCertificate certificate;
    ClientCertificate secondaryCertificate;

    Validator(String name, Map<Setting, String> values, Map<Setting, Secret> secrets, List<String> problems) {
        this.name = name;
        this.values = values;
        this.secrets = secrets;
        this.problems = problems;
    }

    void all() {
        oneOf(Setting.PROVIDER, PROVIDERS);
        String provider = lower(Setting.PROVIDER);
        if ("entra".equals(provider)) {
            entra();
        } else if ("oauth2".equals(provider)) {
            oauth2();
        }
        mailboxes();
        oneOf(Setting.SASL_MECHANISM, MECHANISMS, true);
        required(Setting.SMTP_HOST);
        port(Setting.SMTP_PORT);
        oneOf(Setting.SMTP_TLS, TLS);
        required(Setting.IMAP_HOST);
        port(Setting.IMAP_PORT);
        oneOf(Setting.IMAP_TLS, TLS);
        required(Setting.POP3_HOST);
        port(Setting.POP3_PORT);
        oneOf(Setting.POP3_TLS, TLS);
        number(Setting.MAX_CONNECTIONS_PER_MAILBOX, 1, 100);
        number(Setting.CONNECT_TIMEOUT_MS, 1, 600_000);
        number(Setting.READ_TIMEOUT_MS, 1, 600_000);
        number(Setting.TOKEN_WAIT_MS, 1, 600_000);
        number(Setting.POOL_WAIT_MS, 0, 600_000);
        oneOf(Setting.MAIL_DEBUG, Set.of("true", "false"));
        if (has(Setting.TRUST_STORE_PATH)) {
            readableFile(Setting.TRUST_STORE_PATH);
        } else if (secrets.containsKey(Setting.TRUST_STORE_PASSWORD)) {
            problem(Setting.TRUST_STORE_PASSWORD, "is set but " + key(Setting.TRUST_STORE_PATH) + " is not");
        }
    }

    private void entra() {
        boolean managed = has(Setting.MANAGED_IDENTITY);
        if (!managed) {
            required(Setting.TENANT_ID);
            required(Setting.CLIENT_ID);
        }
        List<Setting> credentials = new java.util.ArrayList<>();
        for (Setting s : new Setting[] {Setting.CLIENT_SECRET, Setting.CERTIFICATE_PATH, Setting.MANAGED_IDENTITY,
                Setting.FEDERATED_TOKEN_FILE}) {
            if (has(s)) {
                credentials.add(s);
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
    }

    private void oauth2() {
        required(Setting.TOKEN_ENDPOINT);
        if (has(Setting.TOKEN_ENDPOINT)) {
            httpsUrl(Setting.TOKEN_ENDPOINT);
        }
        oneOf(Setting.GRANT_TYPE, GRANTS);
        oneOf(Setting.CLIENT_AUTH, CLIENT_AUTH);
        required(Setting.CLIENT_ID);
        String grant = lower(Setting.GRANT_TYPE);
        if ("client_credentials".equals(grant)) {
            required(Setting.CLIENT_SECRET);
            required(Setting.SCOPE);
        } else if ("refresh_token".equals(grant)) {
            required(Setting.REFRESH_TOKEN);
        } else if ("jwt-bearer".equals(grant)) {
            required(Setting.SIGNING_KEY_PATH);
            required(Setting.SCOPE);
            if (has(Setting.SIGNING_KEY_PATH) && readableFile(Setting.SIGNING_KEY_PATH)) {
                try {
                    ClientCertificate.PemKeys.fromFile(Path.of(values.get(Setting.SIGNING_KEY_PATH)));
                } catch (IllegalArgumentException e) {
                    problem(Setting.SIGNING_KEY_PATH, e.getMessage());
                }
            }
        }
        for (Setting s : new Setting[] {Setting.CERTIFICATE_PATH, Setting.MANAGED_IDENTITY, Setting.FEDERATED_TOKEN_FILE,
                Setting.SECONDARY_CERTIFICATE_PATH}) {
            forbidden(s, "provider=oauth2");
        }
        if (has(Setting.SECONDARY_CLIENT_SECRET) && !"client_credentials".equals(grant)) {
            problem(Setting.SECONDARY_CLIENT_SECRET, "is only used with grant-type=client_credentials; remove it");
        }
    }

    private void mailboxes() {
        required(Setting.MAILBOX);
        if (has(Setting.MAILBOX) && !ConnectorSettings.isMailbox(values.get(Setting.MAILBOX))) {
            problem(Setting.MAILBOX, "'" + values.get(Setting.MAILBOX) + "' is not a mail address");
        }
        for (String m : values.getOrDefault(Setting.ALLOWED_MAILBOXES, "").split(",")) {
            if (!m.isBlank() && !ConnectorSettings.isMailbox(m.trim())) {
                problem(Setting.ALLOWED_MAILBOXES, "'" + m.trim() + "' is not a mail address");
            }
        }
    }

    private ClientCertificate certificate(Setting path, Setting password) {
        if (!readableFile(path)) {
            return null;
        }
        try {
            return ClientCertificate.load(Path.of(values.get(path)), secrets.get(password));
        } catch (IllegalArgumentException e) {
            problem(e instanceof ClientCertificate.WrongPassword ? password : path, e.getMessage());
            return null;
        }
    }

    private boolean readableFile(Setting s) {
        Path p;
        try {
            p = Path.of(values.get(s));
        } catch (java.nio.file.InvalidPathException e) {
            problem(s, "'" + values.get(s) + "' is not a valid file path");
            return false;
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            problem(s, "file " + p + " does not exist or is not readable");
            return false;
        }
        return true;
    }

    private void httpsUrl(Setting s) {
        String v = values.get(s);
        try {
            URI u = new URI(v);
            if (u.getHost() == null) {
                problem(s, "'" + v + "' is not an absolute URL");
            } else if (!"https".equalsIgnoreCase(u.getScheme())) {
                problem(s, "'" + v + "' must use https (tokens are never fetched over plain http)");
            }
        } catch (java.net.URISyntaxException e) {
            problem(s, "'" + v + "' is not a valid URL");
        }
    }

    private void port(Setting s) {
        number(s, 1, 65535);
    }

    private void number(Setting s, long min, long max) {
        String v = values.get(s);
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                problem(s, "'" + v + "' is out of range " + min + ".." + max);
            }
        } catch (NumberFormatException e) {
            problem(s, "'" + v + "' is not a whole number");
        }
    }

    private void oneOf(Setting s, Set<String> allowed) {
        oneOf(s, allowed, false);
    }

    private void oneOf(Setting s, Set<String> allowed, boolean upper) {
        String v = values.get(s);
        String norm = upper ? v.toUpperCase(Locale.ROOT) : v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(norm)) {
            problem(s, "'" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
        }
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

    private String lower(Setting s) {
        return values.get(s).toLowerCase(Locale.ROOT);
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
