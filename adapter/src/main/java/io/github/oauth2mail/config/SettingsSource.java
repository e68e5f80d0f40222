package io.github.oauth2mail.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where settings come from: looks up a full key such as {@code oauth2mail.office365.client-secret}.
 */
@FunctionalInterface
public interface SettingsSource {

    Optional<String> get(String fullKey);

    /** This source, and {@code fallback} for keys it does not have. */
    default SettingsSource orElse(SettingsSource fallback) {
        return key -> {
            Optional<String> v = get(key);
            return v.isPresent() ? v : fallback.get(key);
        };
    }

    /** A fixed map of full keys (tests, Java SE programs, the diagnostic command's properties file). */
    static SettingsSource of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return key -> Optional.ofNullable(copy.get(key)).filter(v -> !v.isBlank());
    }

    /**
     * MicroProfile Config when the server provides it (it reads env vars, system properties, secret directories and
     * password aliases); otherwise system properties and env vars with MicroProfile's env-var name mapping.
     */
    static SettingsSource environment() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, SettingsSource.class.getClassLoader());
            return MicroProfileSource.create();
        } catch (ClassNotFoundException | LinkageError e) {
            Logger.getLogger(SettingsSource.class.getName()).log(Level.FINE,
                    "MicroProfile Config not available, reading system properties and environment variables");
            return SettingsSource::systemOrEnv;
        }
    }

    /** System property {@code key}, else env var with every non-alphanumeric character as {@code _}, upper case. */
    static Optional<String> systemOrEnv(String key) {
        String v = System.getProperty(key);
        if (v == null) {
            v = System.getenv(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        return Optional.ofNullable(v).filter(s -> !s.isBlank());
    }
}
