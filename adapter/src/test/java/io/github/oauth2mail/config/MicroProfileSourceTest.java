package io.github.oauth2mail.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroProfileSourceTest {

    private static final String KEY = "oauth2mail.mpsource.mailbox";

    @AfterEach
    void reset() {
        ConfigProviderResolver.setInstance(null);
        System.clearProperty(KEY);
    }

    @Test
    void get_configSourceBroken_failsNamingTheCauseInsteadOfFallingBack() {
        System.setProperty(KEY, "sender@example.com");
        ConfigProviderResolver.setInstance(new BrokenResolver());

        assertThatThrownBy(() -> MicroProfileSource.create().get(KEY)).isInstanceOfSatisfying(
                IllegalStateException.class, e -> {
                    assertThat(e.getMessage()).contains("OAM118", BrokenResolver.class.getName(),
                            UncheckedIOException.class.getName());
                    assertThat(e.getCause()).isInstanceOf(UncheckedIOException.class);
                    assertThat(MailFailure.in(e).messageId()).isEqualTo(MessageId.CONFIG_SOURCE_FAILED);
                });
    }

    @Test
    void get_implementationPresent_readsThroughIt() {
        System.setProperty(KEY, "sender@example.com");

        assertThat(MicroProfileSource.create().get(KEY)).contains("sender@example.com");
    }

    @Test
    void get_noImplementationRegistered_fallsBackToSystemProperties() throws Exception {
        System.setProperty(KEY, "fallback@example.com");
        // the adapter's classes and the MicroProfile Config API only: no implementation for ServiceLoader to find
        URL api = ConfigProvider.class.getProtectionDomain().getCodeSource().getLocation();
        URL adapter = MicroProfileSource.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {adapter, api},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> c = Class.forName(MicroProfileSource.class.getName(), true, isolated);
            Method create = c.getDeclaredMethod("create");
            create.setAccessible(true);
            Object source = create.invoke(null);
            Method get = source.getClass().getMethod("get", String.class);
            get.setAccessible(true);

            assertThat(get.invoke(source, KEY)).isEqualTo(Optional.of("fallback@example.com"));
        }
    }

    /** An implementation whose config sources cannot be read. */
    static final class BrokenResolver extends ConfigProviderResolver {
        @Override
        public Config getConfig() {
            throw new UncheckedIOException(new java.io.IOException("secret directory unreadable"));
        }

        @Override
        public Config getConfig(ClassLoader loader) {
            return getConfig();
        }

        @Override
        public ConfigBuilder getBuilder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void registerConfig(Config config, ClassLoader classLoader) {
        }

        @Override
        public void releaseConfig(Config config) {
        }
    }
}
