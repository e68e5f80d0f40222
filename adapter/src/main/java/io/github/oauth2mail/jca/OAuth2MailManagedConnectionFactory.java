package io.github.oauth2mail.jca;

import io.github.oauth2mail.config.ConfigurationException;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.transport.AdapterSessions;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;

/**
 * The connection factory of a connector resource. Its connection factory is a {@link jakarta.mail.Session}; its
 * managed connections are authenticated SMTP connections, one mailbox each. Setters only fill the properties map;
 * settings are read from MicroProfile Config (which wins) and these properties, validated once on first use.
 */
public class OAuth2MailManagedConnectionFactory
        implements ManagedConnectionFactory, ResourceAdapterAssociation, ValidatingManagedConnectionFactory {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(OAuth2MailManagedConnectionFactory.class.getName());

    private String configName;
    private final TreeMap<String, String> properties = new TreeMap<>();
    private transient volatile ResourceAdapter resourceAdapter;
    /** This factory's reference to the runtime of its connector resource; null until first use and after close(). */
    private transient volatile RuntimeRegistry.Lease lease;
    private transient volatile PrintWriter logWriter;
    private transient SettingsSource settingsSource;

    public OAuth2MailManagedConnectionFactory() {
    }

    /** For Java SE programs and tests: settings from {@code source} instead of MicroProfile Config. */
    public OAuth2MailManagedConnectionFactory(String configName, SettingsSource source) {
        this.configName = configName;
        this.settingsSource = source;
    }

    @Override
    public Object createConnectionFactory(ConnectionManager cm) throws ResourceException {
        return AdapterSessions.create(new PooledMailConnector(this, runtime(), cm));
    }

    /** Non-managed use (Java SE): a small pool, shared by the equal factories of this connector resource. */
    @Override
    public Object createConnectionFactory() throws ResourceException {
        return createConnectionFactory(runtime().defaultManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo cri) throws ResourceException {
        ConnectorRuntime rt = runtime();
        String mailbox = cri instanceof MailboxRequestInfo ? ((MailboxRequestInfo) cri).mailbox() : rt.settings().mailbox();
        return SmtpManagedConnection.open(rt, mailbox);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo cri)
            throws ResourceException {
        ConnectorRuntime rt = runtime();
        String mailbox = cri instanceof MailboxRequestInfo ? ((MailboxRequestInfo) cri).mailbox() : rt.settings().mailbox();
        for (Object o : candidates) {
            if (o instanceof SmtpManagedConnection) {
                SmtpManagedConnection mc = (SmtpManagedConnection) o;
                // equal factories share the runtime, so a connection of one serves the others (one budget)
                if (mc.runtime() == rt && mc.isFor(mailbox) && !mc.isDestroyed()) {
                    return mc;
                }
            }
        }
        return null;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set connections) {
        Set invalid = new HashSet<>();
        for (Object o : connections) {
            if (o instanceof SmtpManagedConnection && !((SmtpManagedConnection) o).validate()) {
                invalid.add(o);
            }
        }
        return invalid;
    }

    /**
     * The runtime of this factory's connector resource, shared with every equal factory: acquired on first use from
     * the resource adapter's {@link RuntimeRegistry} (or {@link RuntimeRegistry#STANDALONE} without one).
     *
     * @throws ResourceException {@code OAM001} naming every wrong key; {@code OAM306} after the adapter was stopped
     */
    ConnectorRuntime runtime() throws ResourceException {
        RuntimeRegistry.Lease l = lease;
        if (l != null && !l.revoked()) {
            return l.runtime();
        }
        synchronized (this) {
            if (lease != null && lease.revoked()) {
                throw new jakarta.resource.spi.IllegalStateException("OAM306 connector resource '" + configName
                        + "' was closed because the resource adapter stopped; redeploy or restart the adapter", "OAM306");
            }
            if (lease == null) {
                lease = registry().acquire(key(), this::buildRuntime);
            }
            return lease.runtime();
        }
    }

    /**
     * Releases this factory's reference to the shared runtime (Java SE use; servers stop the resource adapter). The
     * runtime, its token refresher, MBean and non-managed pool close when no other equal factory uses them. Using this
     * factory again afterwards is a fresh start: the settings are read again and a runtime acquired again (a Session
     * obtained before close() fails with {@code OAM307} once the runtime is closed).
     */
    public void close() {
        RuntimeRegistry.Lease l;
        synchronized (this) {
            l = lease;
            lease = null;
        }
        if (l != null) {
            l.close();
        }
    }

    private RuntimeRegistry registry() {
        ResourceAdapter ra = resourceAdapter;
        return ra instanceof OAuth2MailResourceAdapter ? ((OAuth2MailResourceAdapter) ra).runtimes() : RuntimeRegistry.STANDALONE;
    }

    private RuntimeKey key() {
        return RuntimeKey.of(configName, source(), poolSettings());
    }

    private SettingsSource source() {
        return settingsSource != null ? settingsSource : SettingsSource.environment();
    }

    private ConnectorRuntime buildRuntime() throws ResourceException {
        ConnectorRuntime rt;
        try {
            rt = new ConnectorRuntime(ConnectorSettings.load(configName, source(), poolSettings()));
        } catch (ConfigurationException e) {
            LOG.log(Level.SEVERE, e.getMessage());
            ResourceException re = new ResourceException(e.getMessage(), "OAM001");
            re.initCause(e);
            throw re;
        }
        ConnectorSettings s = rt.settings();
        LOG.info("OAM303 Connector resource '" + configName + "' ready: " + s.provider() + ", mailbox " + s.mailbox()
                + ", SMTP " + s.smtpHost() + ":" + s.smtpPort() + " (" + s.smtpTls() + ")");
        return rt;
    }

    private Map<Setting, String> poolSettings() {
        Map<Setting, String> m = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String v = properties.get(s.poolProperty());
            if (v != null && !v.isBlank()) {
                m.put(s, v);
            }
        }
        return m;
    }

    private void set(String property, String value) {
        if (value == null || value.isBlank()) {
            properties.remove(property);
        } else {
            properties.put(property, value.trim());
        }
    }

    private String get(String property) {
        return properties.get(property);
    }

    public void setConfigName(String configName) {
        this.configName = configName;
    }

    public String getConfigName() {
        return configName;
    }

    public void setProvider(String value) {
        set("Provider", value);
    }

    public String getProvider() {
        return get("Provider");
    }

    public void setTenantId(String value) {
        set("TenantId", value);
    }

    public String getTenantId() {
        return get("TenantId");
    }

    public void setClientId(String value) {
        set("ClientId", value);
    }

    public String getClientId() {
        return get("ClientId");
    }

    public void setCertificatePath(String value) {
        set("CertificatePath", value);
    }

    public String getCertificatePath() {
        return get("CertificatePath");
    }

    public void setManagedIdentity(String value) {
        set("ManagedIdentity", value);
    }

    public String getManagedIdentity() {
        return get("ManagedIdentity");
    }

    public void setFederatedTokenFile(String value) {
        set("FederatedTokenFile", value);
    }

    public String getFederatedTokenFile() {
        return get("FederatedTokenFile");
    }

    public void setAuthority(String value) {
        set("Authority", value);
    }

    public String getAuthority() {
        return get("Authority");
    }

    public void setTokenEndpoint(String value) {
        set("TokenEndpoint", value);
    }

    public String getTokenEndpoint() {
        return get("TokenEndpoint");
    }

    public void setGrantType(String value) {
        set("GrantType", value);
    }

    public String getGrantType() {
        return get("GrantType");
    }

    public void setClientAuth(String value) {
        set("ClientAuth", value);
    }

    public String getClientAuth() {
        return get("ClientAuth");
    }

    public void setScope(String value) {
        set("Scope", value);
    }

    public String getScope() {
        return get("Scope");
    }

    public void setSigningKeyPath(String value) {
        set("SigningKeyPath", value);
    }

    public String getSigningKeyPath() {
        return get("SigningKeyPath");
    }

    public void setMailbox(String value) {
        set("Mailbox", value);
    }

    public String getMailbox() {
        return get("Mailbox");
    }

    public void setAllowedMailboxes(String value) {
        set("AllowedMailboxes", value);
    }

    public String getAllowedMailboxes() {
        return get("AllowedMailboxes");
    }

    public void setSaslMechanism(String value) {
        set("SaslMechanism", value);
    }

    public String getSaslMechanism() {
        return get("SaslMechanism");
    }

    public void setSmtpHost(String value) {
        set("SmtpHost", value);
    }

    public String getSmtpHost() {
        return get("SmtpHost");
    }

    public void setSmtpPort(String value) {
        set("SmtpPort", value);
    }

    public String getSmtpPort() {
        return get("SmtpPort");
    }

    public void setSmtpTls(String value) {
        set("SmtpTls", value);
    }

    public String getSmtpTls() {
        return get("SmtpTls");
    }

    public void setImapHost(String value) {
        set("ImapHost", value);
    }

    public String getImapHost() {
        return get("ImapHost");
    }

    public void setImapPort(String value) {
        set("ImapPort", value);
    }

    public String getImapPort() {
        return get("ImapPort");
    }

    public void setImapTls(String value) {
        set("ImapTls", value);
    }

    public String getImapTls() {
        return get("ImapTls");
    }

    public void setSecondaryCertificatePath(String value) {
        set("SecondaryCertificatePath", value);
    }

    public String getSecondaryCertificatePath() {
        return get("SecondaryCertificatePath");
    }

    public void setJwtIssuer(String value) {
        set("JwtIssuer", value);
    }

    public String getJwtIssuer() {
        return get("JwtIssuer");
    }

    public void setJwtAudience(String value) {
        set("JwtAudience", value);
    }

    public String getJwtAudience() {
        return get("JwtAudience");
    }

    public void setPop3Host(String value) {
        set("Pop3Host", value);
    }

    public String getPop3Host() {
        return get("Pop3Host");
    }

    public void setPop3Port(String value) {
        set("Pop3Port", value);
    }

    public String getPop3Port() {
        return get("Pop3Port");
    }

    public void setPop3Tls(String value) {
        set("Pop3Tls", value);
    }

    public String getPop3Tls() {
        return get("Pop3Tls");
    }

    public void setMaxConnectionsPerMailbox(String value) {
        set("MaxConnectionsPerMailbox", value);
    }

    public String getMaxConnectionsPerMailbox() {
        return get("MaxConnectionsPerMailbox");
    }

    public void setConnectTimeoutMs(String value) {
        set("ConnectTimeoutMs", value);
    }

    public String getConnectTimeoutMs() {
        return get("ConnectTimeoutMs");
    }

    public void setReadTimeoutMs(String value) {
        set("ReadTimeoutMs", value);
    }

    public String getReadTimeoutMs() {
        return get("ReadTimeoutMs");
    }

    public void setTokenWaitMs(String value) {
        set("TokenWaitMs", value);
    }

    public String getTokenWaitMs() {
        return get("TokenWaitMs");
    }

    public void setPoolWaitMs(String value) {
        set("PoolWaitMs", value);
    }

    public String getPoolWaitMs() {
        return get("PoolWaitMs");
    }

    public void setTrustStorePath(String value) {
        set("TrustStorePath", value);
    }

    public String getTrustStorePath() {
        return get("TrustStorePath");
    }

    public void setTrustStoreType(String value) {
        set("TrustStoreType", value);
    }

    public String getTrustStoreType() {
        return get("TrustStoreType");
    }

    public void setMailDebug(String value) {
        set("MailDebug", value);
    }

    public String getMailDebug() {
        return get("MailDebug");
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        synchronized (this) {
            this.resourceAdapter = ra;
            RuntimeRegistry.Lease l = lease;
            if (l != null && !l.revoked() && l.registry() != registry()) {
                // used before the server associated it: the adapter must own (and stop) the runtime all the same
                lease = registry().transfer(l, this::buildRuntime);
            }
        }
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false; // the subclass of the second connection definition is never equal to this one
        }
        OAuth2MailManagedConnectionFactory other = (OAuth2MailManagedConnectionFactory) o;
        return Objects.equals(configName, other.configName) && properties.equals(other.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configName, properties);
    }

    @Override
    public String toString() {
        return "OAuth2MailManagedConnectionFactory[" + configName + ", " + properties + "]";
    }
}
