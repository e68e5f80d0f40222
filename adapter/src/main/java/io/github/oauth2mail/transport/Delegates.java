package io.github.oauth2mail.transport;

import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Store;

/** Finds the Jakarta Mail implementation's own store for a protocol (never one of the adapter's). */
final class Delegates {

    private Delegates() {
    }

    static Store implementationStore(Session session, String protocol) throws NoSuchProviderException {
        for (Provider p : session.getProviders()) {
            if (p.getType() == Provider.Type.STORE && protocol.equals(p.getProtocol()) && !isOurs(p)) {
                return session.getStore(p);
            }
        }
        throw new NoSuchProviderException("OAM223 no " + protocol + " store provider of the Jakarta Mail "
                + "implementation (e.g. Angus Mail) is visible; the adapter delegates " + protocol + " to it");
    }

    private static boolean isOurs(Provider p) {
        return p.getClassName().startsWith("io.github.oauth2mail.");
    }
}
