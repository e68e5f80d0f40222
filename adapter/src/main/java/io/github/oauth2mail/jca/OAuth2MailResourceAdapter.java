package io.github.oauth2mail.jca;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.Serializable;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The resource adapter: outbound only. It owns the runtimes of its connection factories (one per connector resource,
 * shared by equal factories: {@link RuntimeRegistry}) and closes them all when the server stops the adapter, so an
 * undeploy leaves no thread or MBean behind.
 */
public class OAuth2MailResourceAdapter implements ResourceAdapter, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(OAuth2MailResourceAdapter.class.getName());

    private final transient RuntimeRegistry runtimes = new RuntimeRegistry();

    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        runtimes.restart();
        LOG.info("OAM300 OAuth2 mail connector started");
    }

    @Override
    public void stop() {
        runtimes.closeAll();
        RuntimeRegistry.closeStandalone();
        LOG.info("OAM301 OAuth2 mail connector stopped");
    }

    /** The runtimes of the connector resources of this adapter. */
    RuntimeRegistry runtimes() {
        return runtimes;
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        throw new jakarta.resource.NotSupportedException("The OAuth2 mail connector has no inbound endpoints");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        // no inbound endpoints
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
