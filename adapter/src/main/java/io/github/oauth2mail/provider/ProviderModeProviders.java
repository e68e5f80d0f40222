package io.github.oauth2mail.provider;

import jakarta.mail.Provider;

/**
 * The {@link Provider}s Jakarta Mail finds through {@code META-INF/services/jakarta.mail.Provider} when the adapter's
 * jar is a server library. Jakarta Mail ignores {@code mail.smtp.class} unless a Provider with that class name is
 * registered; these are registered under protocol names of their own ({@code oauth2mail-smtp}, {@code oauth2mail-imap}),
 * so they never become any Session's default {@code smtp}/{@code imap}: only a session that names the class uses them.
 */
public final class ProviderModeProviders {

    private ProviderModeProviders() {
    }

    /** {@code mail.smtp.class=io.github.oauth2mail.provider.ProviderTransport}. */
    public static final class Smtp extends Provider {
        public Smtp() {
            super(Type.TRANSPORT, "oauth2mail-smtp", ProviderTransport.class.getName(), "io.github.oauth2mail", null);
        }
    }

    /** {@code mail.imap.class} / {@code mail.imaps.class=io.github.oauth2mail.provider.ProviderStore}. */
    public static final class Imap extends Provider {
        public Imap() {
            super(Type.STORE, "oauth2mail-imap", ProviderStore.class.getName(), "io.github.oauth2mail", null);
        }
    }
}
