package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the diagnostic command found each credential setting: the {@code --config} file, a system property or an
 * environment variable (the order {@link Diagnose} reads them in). Names the source, never the value.
 */
final class ConfigOrigins {

    /** The keys that hold or point to a credential. */
    static final List<Setting> CREDENTIALS = List.of(Setting.CLIENT_SECRET, Setting.CERTIFICATE_PATH,
            Setting.CERTIFICATE_PASSWORD, Setting.MANAGED_IDENTITY, Setting.FEDERATED_TOKEN_FILE,
            Setting.SECONDARY_CLIENT_SECRET, Setting.SECONDARY_CERTIFICATE_PATH, Setting.SECONDARY_CERTIFICATE_PASSWORD,
            Setting.REFRESH_TOKEN, Setting.SIGNING_KEY_PATH, Setting.PROXY_PASSWORD, Setting.TRUST_STORE_PASSWORD);

    private final String name;
    private final Path file;
    private final Map<String, String> fileValues;

    /** @param file the {@code --config} file, or null; {@code fileValues} its keys as full keys */
    ConfigOrigins(String name, Path file, Map<String, String> fileValues) {
        this.name = name;
        this.file = file;
        this.fileValues = fileValues == null ? Map.of() : fileValues;
    }

    /** e.g. {@code environment variable OAUTH2MAIL_X_CLIENT_SECRET}; null when {@code s} is not set anywhere. */
    String origin(Setting s) {
        String key = s.fullKey(name);
        if (!isBlank(fileValues.get(key))) {
            return "file " + file;
        }
        if (!isBlank(System.getProperty(key))) {
            return "system property " + key;
        }
        String env = key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
        if (!isBlank(System.getenv(env))) {
            return "environment variable " + env;
        }
        return null;
    }

    /** One line per credential setting that is set: {@code client-secret: environment variable ...}. */
    List<String> credentialLines() {
        List<String> lines = new ArrayList<>();
        for (Setting s : CREDENTIALS) {
            String o = origin(s);
            if (o != null) {
                lines.add(s.key() + ": " + o);
            }
        }
        return lines;
    }

    private static boolean isBlank(String v) {
        return v == null || v.isBlank();
    }
}
