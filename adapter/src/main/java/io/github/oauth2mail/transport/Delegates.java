package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The Jakarta Mail implementation's own store for a protocol (never one of the adapter's), in a private Session whose
 * properties are the app Session's plus what {@code configure} sets, with the app Session's debug settings.
 */
final class Delegates {

    private Delegates() {
    }

    static Store store(Session appSession, String protocol, Consumer<Properties> configure)
            throws NoSuchProviderException {
        return store(appSession, protocol, configure, appSession.getDebug());
    }

    /** As above, with the implementation's own debug output on or off ({@code debug}). */
    static Store store(Session appSession, String protocol, Consumer<Properties> configure, boolean debug)
            throws NoSuchProviderException {
        Properties p = new Properties();
        p.putAll(appSession.getProperties());
        configure.accept(p);
        // never let the implementation's own trace show AUTH lines
        p.put("mail.debug.auth", "false");
        Session session = Session.getInstance(p);
        session.setDebugOut(appSession.getDebugOut());
        session.setDebug(debug);
        return implementationStore(session, protocol);
    }

    private static Store implementationStore(Session session, String protocol) throws NoSuchProviderException {
        for (Provider p : session.getProviders()) {
            if (p.getType() == Provider.Type.STORE && protocol.equals(p.getProtocol()) && !isOurs(p)) {
                return session.getStore(p);
            }
        }
        throw new NoProvider("no " + protocol + " store provider of the Jakarta Mail "
                + "implementation (e.g. Angus Mail) is visible; the adapter delegates " + protocol + " to it");
    }

    private static boolean isOurs(Provider p) {
        return p.getClassName().startsWith("io.github.oauth2mail.");
    }

    /** No store provider of the implementation for the protocol ({@link MessageId#STORE_NO_PROVIDER}). */
    static final class NoProvider extends NoSuchProviderException implements MailFailure {

        private static final long serialVersionUID = 1L;

        /** @param text the message after the ID */
        NoProvider(String text) {
            super(MessageId.STORE_NO_PROVIDER.message(text));
        }

        @Override
        public MessageId messageId() {
            return MessageId.STORE_NO_PROVIDER;
        }
    }
}
