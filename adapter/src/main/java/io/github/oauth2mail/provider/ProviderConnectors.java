package io.github.oauth2mail.provider;

import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.resource.ResourceException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Transport-provider mode: the server's own mail session (WildFly mail subsystem, Liberty {@code mailSession}) names
 * the adapter's transport/store and carries {@value #CONFIG_NAME}; this registry turns that name into a connector
 * Session whose settings come from MicroProfile Config / env ({@code oauth2mail.<name>.*}). Payara 6's JavaMail
 * resource does not register the adapter's providers from {@code --addlibs} jars, so this mode does not work there
 * (README, servers table).
 *
 * <p>The transport and store are registered in the jar's {@code META-INF/javamail.providers} under protocol names of
 * their own ({@code oauth2mail-smtp}, {@code oauth2mail-imap}): Jakarta Mail honours {@code mail.smtp.class} only for
 * a registered class, and no session's default {@code smtp}/{@code imap} changes.
 *
 * <p>One runtime (token refresher and a small connection pool of the adapter's own, at most
 * {@code max-connections-per-mailbox} per mailbox) per name, shared by every Session that names it, for the life of
 * this class loader. That is static state on purpose: in this mode the adapter is a server library (a JBoss global
 * module, a shared library), loaded once and never redeployed, so nothing can leak across redeploys; it must not be
 * used from a redeployable archive. There is no JCA pool in this mode (no pool statistics, sizing or validation from
 * the server): use the connector resource where the server offers it.
 */
public final class ProviderConnectors {

    /** Session property naming the connector settings, e.g. {@code mail.oauth2mail.config-name=office365}. */
    public static final String CONFIG_NAME = "mail.oauth2mail.config-name";
    /** The same, as Payara's JavaMail resource writes it (its {@code mail-x-y} properties become {@code mail.x.y}). */
    static final String CONFIG_NAME_DOTTED = "mail.oauth2mail.config.name";

    private static final ConcurrentMap<String, OAuth2MailManagedConnectionFactory> FACTORIES = new ConcurrentHashMap<>();

    private ProviderConnectors() {
    }

    /**
     * The connector Session for the name {@code appSession} carries. Cheap after the first call; the settings are
     * validated on first use and, while invalid, on every call (the {@code OAM001} message names each wrong key).
     */
    static Session connectorSession(Session appSession) throws MessagingException {
        String name = appSession.getProperty(CONFIG_NAME);
        if (name == null || name.isBlank()) {
            name = appSession.getProperty(CONFIG_NAME_DOTTED);
        }
        if (name == null || name.isBlank()) {
            throw new AdapterMessagingException(MessageId.TRANSPORT_NO_CONFIG_NAME, "This mail session uses the OAuth2 "
                    + "mail connector's transport but has no "
                    + "property " + CONFIG_NAME + " (the name of its oauth2mail.<name>.* settings)");
        }
        OAuth2MailManagedConnectionFactory factory = FACTORIES.computeIfAbsent(name.trim(),
                n -> new OAuth2MailManagedConnectionFactory(n, SettingsSource.environment()));
        try {
            return (Session) factory.createConnectionFactory();
        } catch (ResourceException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }
}
