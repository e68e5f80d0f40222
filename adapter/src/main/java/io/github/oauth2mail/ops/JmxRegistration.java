package io.github.oauth2mail.ops;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a connector resource's MBean on the platform MBeanServer as
 * {@code io.github.oauth2mail:type=Connector,name=<ConfigName>}, once per connector runtime (equal connection factories
 * share one runtime and so one MBean). When that name is taken (a second resource with the same ConfigName but other
 * settings), the next free {@code ,instance=<n>} is used.
 * Registration problems are logged and never stop the resource.
 */
final class JmxRegistration {

    static final String DOMAIN = "io.github.oauth2mail";
    private static final Logger LOG = Logger.getLogger(JmxRegistration.class.getName());
    private static final int MAX_INSTANCES = 100;

    private JmxRegistration() {
    }

    /** The base name for a connector resource; the name is quoted only when it holds JMX special characters. */
    static ObjectName nameFor(String configName, int instance) throws JMException {
        String n = configName.matches("[A-Za-z0-9._@-]+") ? configName : ObjectName.quote(configName);
        return new ObjectName(DOMAIN + ":type=Connector,name=" + n + (instance > 1 ? ",instance=" + instance : ""));
    }

    /** Registers {@code mbean}; returns its name, or null when it could not be registered. */
    static ObjectName register(String configName, Object mbean) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (int i = 1; i <= MAX_INSTANCES; i++) {
                ObjectName name = nameFor(configName, i);
                try {
                    server.registerMBean(mbean, name);
                    if (i > 1) {
                        LOG.log(Level.INFO, "OAM411 MBean name for connector resource ''{0}'' was taken by another "
                                + "resource with the same ConfigName and other settings; registered as {1}",
                                new Object[] {configName, name});
                    } else {
                        LOG.log(Level.FINE, "OAM410 registered MBean {0}", name);
                    }
                    return name;
                } catch (InstanceAlreadyExistsException e) {
                    // try the next instance number
                }
            }
            LOG.warning("OAM412 no MBean registered for connector resource '" + configName + "': " + MAX_INSTANCES
                    + " instances already registered (connection factories not closed?)");
        } catch (JMException | RuntimeException e) {
            LOG.warning("OAM412 no MBean registered for connector resource '" + configName + "': " + e);
        }
        return null;
    }

    static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // already gone
        } catch (JMException | RuntimeException e) {
            LOG.warning("OAM413 unregistering MBean " + name + " failed: " + e);
        }
    }
}
