package io.github.oauth2mail.wildfly;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.Name;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.spi.ObjectFactory;

/**
 * WildFly naming-subsystem {@code object-factory}: answers a lookup of the application's mail resource (for example
 * {@code java:/mail/office365}) with the Session of the connector's {@code MailSessionFactory} bound by IronJacamar
 * (for example {@code java:/eis/mail/office365}), so the JCA pool serves an unchanged {@code @Resource Session}.
 *
 * <p>Environment of the binding: {@code session-factory} (required) the JNDI name of that factory;
 * {@code wait-ms} (default 30000) how long a lookup waits for the resource adapter to bind it: a lookup made while
 * the server is still deploying the {@code .rar} would otherwise fail with {@code NameNotFoundException}.
 *
 * <p>This class lives in a static JBoss module and cannot link against the adapter (a deployment), so it calls
 * {@code getSession()} reflectively; {@code jakarta.mail.Session} is the same class on both sides.
 */
public final class SessionObjectFactory implements ObjectFactory {

    static final String SESSION_FACTORY = "session-factory";
    static final String WAIT_MS = "wait-ms";
    private static final Logger LOG = Logger.getLogger(SessionObjectFactory.class.getName());
    private static final long DEFAULT_WAIT_MS = 30_000;
    private static final long RETRY_MS = 100;

    @Override
    public Object getObjectInstance(Object obj, Name name, Context nameCtx, Hashtable<?, ?> environment)
            throws Exception {
        String target = value(environment, SESSION_FACTORY);
        if (target == null) {
            throw new NamingException("OAM500 the object-factory binding " + name + " has no environment entry '"
                    + SESSION_FACTORY + "' (the JNDI name of the connector's MailSessionFactory, e.g. "
                    + "java:/eis/mail/office365)");
        }
        String wait = value(environment, WAIT_MS);
        Duration bound = Duration.ofMillis(wait == null ? DEFAULT_WAIT_MS : Long.parseLong(wait.trim()));
        Object factory = awaitBound(target, bound);
        return sessionOf(factory, target);
    }

    /** Looks {@code target} up, retrying (bounded by {@code bound}) while it is not bound yet. */
    static Object awaitBound(String target, Duration bound) throws NamingException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        InitialContext ctx = new InitialContext();
        try {
            NameNotFoundException last;
            int attempts = 0;
            do {
                try {
                    Object found = ctx.lookup(target);
                    if (attempts > 0) {
                        LOG.info("OAM501 " + target + " bound after " + attempts + " retries");
                    }
                    return found;
                } catch (NameNotFoundException e) {
                    last = e;
                    attempts++;
                }
                // back off before the next lookup: the resource adapter is still being deployed
                TimeUnit.MILLISECONDS.sleep(Math.min(RETRY_MS, Math.max(1, remainingMillis(deadline))));
            } while (System.nanoTime() < deadline);
            NameNotFoundException e = new NameNotFoundException("OAM502 " + target + " was not bound within "
                    + bound.toMillis() + " ms: is the OAuth2 mail connector (.rar) deployed, and does its "
                    + "connection definition (class-name io.github.oauth2mail.jca.SessionFactoryManagedConnectionFactory)"
                    + " have this jndi-name?");
            e.setRootCause(last);
            throw e;
        } finally {
            ctx.close();
        }
    }

    static Object sessionOf(Object factory, String target) throws NamingException {
        try {
            Method getSession = factory.getClass().getMethod("getSession");
            return getSession.invoke(factory);
        } catch (NoSuchMethodException e) {
            NamingException ne = new NamingException("OAM503 " + target + " is a " + factory.getClass().getName()
                    + ", not the connector's MailSessionFactory (no getSession())");
            ne.setRootCause(e);
            throw ne;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            NamingException ne = new NamingException("OAM504 the connector could not build the Session of " + target
                    + ": " + cause.getMessage());
            ne.setRootCause(cause);
            throw ne;
        } catch (IllegalAccessException e) {
            NamingException ne = new NamingException("OAM503 cannot call getSession() of " + target);
            ne.setRootCause(e);
            throw ne;
        }
    }

    private static long remainingMillis(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    private static String value(Hashtable<?, ?> environment, String key) {
        Object v = environment == null ? null : environment.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString();
    }
}
