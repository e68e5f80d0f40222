package io.github.oauth2mail.config;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads settings through MicroProfile Config; loaded only when its API is present. */
final class MicroProfileSource {

    private static final Logger LOG = Logger.getLogger(MicroProfileSource.class.getName());

    private MicroProfileSource() {
    }

    static SettingsSource create() {
        return key -> {
            Config config;
            try {
                config = ConfigProvider.getConfig();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.FINE, "MicroProfile Config unusable here ({0}); using system properties and env vars",
                        e.getClass().getName());
                return SettingsSource.systemOrEnv(key);
            }
            Optional<String> v = config.getOptionalValue(key, String.class);
            return v.isPresent() ? v.filter(s -> !s.isBlank()) : SettingsSource.systemOrEnv(key);
        };
    }
}
