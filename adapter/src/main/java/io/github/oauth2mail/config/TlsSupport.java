package io.github.oauth2mail.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS client socket factory for a connector resource: the JVM's default trust, or the configured trust store.
 * Server identity (host name) checks are done by the callers on every connection.
 */
public final class TlsSupport {

    private TlsSupport() {
    }

    /** Built once per resource; cheap to share. */
    public static SSLSocketFactory socketFactory(ConnectorSettings settings) {
        if (settings.trustStorePath().isEmpty()) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        return sslContext(settings).getSocketFactory();
    }

    /**
     * The mail servers' socket factory from a context built once by {@link #sslContext}: the configured trust store's,
     * or {@link SSLSocketFactory#getDefault()} (which, unlike the default context's factory, honours the JVM's
     * {@code ssl.SocketFactory.provider}).
     */
    public static SSLSocketFactory socketFactory(ConnectorSettings settings, SSLContext context) {
        return settings.trustStorePath().isEmpty() ? (SSLSocketFactory) SSLSocketFactory.getDefault()
                : context.getSocketFactory();
    }

    /** The SSL context built from the configured trust store (or the JVM default). */
    public static SSLContext sslContext(ConnectorSettings settings) {
        try {
            if (settings.trustStorePath().isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore ks = KeyStore.getInstance(settings.trustStoreType());
            char[] pw = settings.trustStorePassword().map(s -> s.reveal().toCharArray()).orElse(null);
            try (InputStream in = Files.newInputStream(settings.trustStorePath().get())) {
                ks.load(in, pw);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(settings.name(), java.util.List.of(settings.key(Setting.TRUST_STORE_PATH)
                    + ": cannot load trust store " + settings.trustStorePath().orElse(null) + " as "
                    + settings.trustStoreType() + " (" + e.getClass().getSimpleName() + ": check the file, "
                    + settings.key(Setting.TRUST_STORE_TYPE) + " and " + settings.key(Setting.TRUST_STORE_PASSWORD) + ")"));
        }
    }
}
