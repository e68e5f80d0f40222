package io.github.oauth2mail.transport;

import jakarta.mail.Provider;

/** A Provider subclass, so that Jakarta Mail 2.1.3+ also finds the adapter's classes through the Provider's loader. */
final class AdapterProvider extends Provider {

    AdapterProvider(Type type, String protocol, String className) {
        super(type, protocol, className, "io.github.oauth2mail", AdapterProvider.class.getPackage().getImplementationVersion());
    }
}
