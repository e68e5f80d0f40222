package io.github.oauth2mail.jca;

import jakarta.mail.Session;
import jakarta.resource.Referenceable;
import java.io.Serializable;

/**
 * The connection factory of the second connection definition, for servers that bind only specification-compliant
 * factories ({@code Serializable} and {@link Referenceable}; WildFly's IronJacamar refuses {@link Session}, which is
 * final and neither). {@link #getSession()} returns the same pooled XOAUTH2 Session the first connection definition
 * hands out directly. On WildFly a naming-subsystem object factory (module {@code io.github.oauth2mail.naming}) binds
 * that Session where the application looks it up, so the application keeps {@code @Resource Session}.
 */
public interface MailSessionFactory extends Serializable, Referenceable {

    /** A Session whose SMTP connections come from this factory's pool. Cheap: no network, no token fetch. */
    Session getSession();
}
