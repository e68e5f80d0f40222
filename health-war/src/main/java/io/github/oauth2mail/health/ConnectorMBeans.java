package io.github.oauth2mail.health;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Reads the connector MBeans ({@code io.github.oauth2mail:type=Connector,name=<ConfigName>[,instance=n]}) from the
 * platform MBeanServer by attribute name, so this WAR needs none of the adapter's classes.
 */
final class ConnectorMBeans {

    static final String PATTERN = "io.github.oauth2mail:type=Connector,*";
    private static final Logger LOG = Logger.getLogger(ConnectorMBeans.class.getName());

    private final MBeanServer server;

    ConnectorMBeans(MBeanServer server) {
        this.server = server;
    }

    static ConnectorMBeans platform() {
        return new ConnectorMBeans(ManagementFactory.getPlatformMBeanServer());
    }

    /** Every registered connector, sorted by name. */
    List<ObjectName> names() throws JMException {
        List<ObjectName> names = new ArrayList<>(server.queryNames(new ObjectName(PATTERN), null));
        names.sort(Comparator.comparing(ObjectName::getCanonicalName));
        return names;
    }

    /** The passive state (attributes only; no network call by the adapter). Null when the MBean went away. */
    ConnectorState read(ObjectName name) throws JMException {
        try {
            return new ConnectorState(label(name), (String) server.getAttribute(name, "HealthStatus"),
                    (String) server.getAttribute(name, "HealthReason"), (String) server.getAttribute(name, "HealthData"));
        } catch (InstanceNotFoundException e) {
            return null; // undeployed meanwhile
        }
    }

    /**
     * The adapter's active check ({@code check()}: token from the cache or the identity provider, and a probe connection
     * when the mail server refused the last one; at most once per 30 s), then the state it leaves.
     */
    ConnectorState check(ObjectName name) throws JMException {
        try {
            server.invoke(name, "check", new Object[0], new String[0]);
        } catch (InstanceNotFoundException e) {
            return null;
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "OAM440 check() of {0} failed: {1}", new Object[] {name, e.toString()});
        }
        return read(name);
    }

    private static String label(ObjectName n) {
        String name = n.getKeyProperty("name");
        if (name != null && name.startsWith("\"")) {
            name = ObjectName.unquote(name);
        }
        String instance = n.getKeyProperty("instance");
        return instance == null ? name : name + "#" + instance;
    }
}
