package io.github.oauth2mail.config;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Reads settings through MicroProfile Config; loaded only when its API is present. Falls back to system properties
 * and env vars only when MicroProfile Config is absent (no API classes, or no implementation registered); a present
 * implementation that fails is an error naming its cause, not a silent fallback (which would make a broken config
 * source look like "is required").
 */
final class MicroProfileSource {

    private static final Logger LOG = Logger.getLogger(MicroProfileSource.class.getName());

    private MicroProfileSource() {
    }

    static SettingsSource create() {
        return key -> {
            Config config = config();
            if (config == null) {
                return SettingsSource.systemOrEnv(key);
            }
            Optional<String> v = config.getOptionalValue(key, String.class);
            return v.isPresent() ? v.filter(s -> !s.isBlank()) : SettingsSource.systemOrEnv(key);
        };
    }

    /** The application's Config, or null when MicroProfile Config is absent. */
    private static Config config() {
        ConfigProviderResolver resolver;
        try {
            resolver = ConfigProviderResolver.instance();
        } catch (NoClassDefFoundError | IllegalStateException e) {
            // IllegalStateException: the API found no ConfigProviderResolver implementation (ServiceLoader)
            LOG.log(Level.FINE, "MicroProfile Config absent here ({0}); using system properties and env vars",
                    e.getClass().getName());
            return null;
        }
        try {
            return resolver.getConfig();
        } catch (RuntimeException | LinkageError e) {
            throw new SourceFailed("MicroProfile Config (" + resolver.getClass().getName()
                    + ") is present but failed to provide the configuration (" + e.getClass().getName()
                    + "); fix the server's config sources (see the cause), the connector settings cannot be read", e);
        }
    }

    /** MicroProfile Config is present but failed ({@link MessageId#CONFIG_SOURCE_FAILED}). */
    static final class SourceFailed extends IllegalStateException implements MailFailure {

        private static final long serialVersionUID = 1L;

        /** @param text the message after the ID */
        SourceFailed(String text, Throwable cause) {
            super(MessageId.CONFIG_SOURCE_FAILED.message(text), cause);
        }

        @Override
        public MessageId messageId() {
            return MessageId.CONFIG_SOURCE_FAILED;
        }
    }
}
