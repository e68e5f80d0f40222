package io.github.oauth2mail.jca;

import io.github.oauth2mail.transport.AdapterSessions;
import jakarta.mail.Session;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/**
 * {@link MailSessionFactory} built by {@link SessionFactoryManagedConnectionFactory}: each Session leases its SMTP
 * connections from the server's connection manager, exactly as the Session of the first connection definition does.
 */
public final class PooledSessionFactory implements MailSessionFactory {

    private static final long serialVersionUID = 1L;

    private final OAuth2MailManagedConnectionFactory factory;
    private final ConnectionManager manager;
    private Reference reference;

    PooledSessionFactory(OAuth2MailManagedConnectionFactory factory, ConnectionManager manager) {
        this.factory = factory;
        this.manager = manager;
    }

    /**
     * @throws IllegalStateException (with the {@code OAM001} message naming every wrong key) when the settings of this
     *         connector resource are invalid
     */
    @Override
    public Session getSession() {
        try {
            return AdapterSessions.create(new PooledMailConnector(factory, factory.runtime(), manager));
        } catch (ResourceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public String toString() {
        return "PooledSessionFactory[" + factory.getConfigName() + "]";
    }
}
