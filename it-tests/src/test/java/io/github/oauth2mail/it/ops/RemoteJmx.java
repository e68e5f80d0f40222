package io.github.oauth2mail.it.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.github.oauth2mail.it.support.Ports;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * JMX from outside the Payara JVM: the JDK's own remote agent, switched on with {@code com.sun.management.jmxremote.*}
 * JVM options on 127.0.0.1 (no authentication, no TLS: fine on a loopback test port, not in production), read with a
 * plain {@link JMXConnector}. Nothing of the adapter is needed on this side: attribute values are JDK types.
 */
final class RemoteJmx implements AutoCloseable {

    static final String CONNECTOR_PATTERN = "io.github.oauth2mail:type=Connector,*";

    private final int port;
    private JMXConnector connector;

    RemoteJmx() {
        this.port = Ports.free();
    }

    /** The JVM options for the Payara process. */
    Map<String, String> jvmOptions() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("com.sun.management.jmxremote.port", String.valueOf(port));
        p.put("com.sun.management.jmxremote.rmi.port", String.valueOf(port));
        p.put("com.sun.management.jmxremote.host", "127.0.0.1");
        p.put("java.rmi.server.hostname", "127.0.0.1");
        p.put("com.sun.management.jmxremote.authenticate", "false");
        p.put("com.sun.management.jmxremote.ssl", "false");
        return p;
    }

    MBeanServerConnection connection() {
        try {
            if (connector == null) {
                connector = JMXConnectorFactory.connect(
                        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
            }
            return connector.getMBeanServerConnection();
        } catch (IOException e) {
            throw new UncheckedIOException("JMX 127.0.0.1:" + port, e);
        }
    }

    Set<ObjectName> connectors() throws JMException, IOException {
        return connection().queryNames(new ObjectName(CONNECTOR_PATTERN), null);
    }

    static ObjectName connector(String configName) {
        try {
            return new ObjectName("io.github.oauth2mail:type=Connector,name=" + configName);
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Object attribute(ObjectName name, String attribute) throws JMException, IOException {
        return connection().getAttribute(name, attribute);
    }

    Object invoke(ObjectName name, String operation) throws JMException, IOException {
        return connection().invoke(name, operation, new Object[0], new String[0]);
    }

    @Override
    public void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException ignored) {
                // the server may be gone already
            }
            connector = null;
        }
    }
}
