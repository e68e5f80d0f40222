package io.github.oauth2mail.jca;

/**
 * The managed connection factory of the second connection definition ({@link MailSessionFactory}): the same
 * settings, pool and connections as {@link OAuth2MailManagedConnectionFactory}, but its connection factory is a
 * specification-compliant {@link MailSessionFactory} instead of the {@code jakarta.mail.Session} itself. Use it where
 * the server refuses to bind a Session (WildFly); elsewhere the first connection definition is simpler.
 */
public class SessionFactoryManagedConnectionFactory extends OAuth2MailManagedConnectionFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Object createConnectionFactory(jakarta.resource.spi.ConnectionManager cm) {
        return new PooledSessionFactory(this, cm);
    }
}
