package io.github.oauth2mail.jca;

import io.github.oauth2mail.config.ConfigurationException;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.ops.AuditLog;
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
    private final EnumMap<Setting, String> properties = new EnumMap<>(Setting.class);
    private transient volatile ResourceAdapter resourceAdapter;
    /** This factory's reference to the runtime of its connector resource; null until first use and after close(). */
    private transient volatile RuntimeRegistry.Lease lease;
    private transient volatile PrintWriter logWriter;
    private transient SettingsSource settingsSource;
    private transient SendRetry sendRetry = SendRetry.real();

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
            if (lease != null && lease.revoked() && lease.registry() == RuntimeRegistry.STANDALONE) {
                lease = null; // closed when an adapter stopped; standalone use starts afresh
            }
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

    /** Tests: the clock and sleeper of send retries and mailbox budgets, for runtimes this factory builds. */
    void useSendRetry(SendRetry retry) {
        this.sendRetry = Objects.requireNonNull(retry, "retry");
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
            rt = new ConnectorRuntime(ConnectorSettings.load(configName, source(), poolSettings()), sendRetry);
        } catch (ConfigurationException e) {
            LOG.log(Level.SEVERE, e.getMessage());
            ResourceException re = new ResourceException(e.getMessage(), "OAM001");
            re.initCause(e);
            throw re;
        }
        ConnectorSettings s = rt.settings();
        LOG.info("OAM303 Connector resource '" + configName + "' ready: " + s.provider() + ", mailbox " + s.mailbox()
                + (s.sendVia() == ConnectorSettings.SendVia.GRAPH ? ", Microsoft Graph " + AuditLog.submissionServer(s)
                : ", SMTP " + AuditLog.submissionServer(s) + " (" + s.smtpTls() + ")"));
        return rt;
    }

    /** The config-properties set on this factory, by setting: what the settings are built from besides MP Config. */
    Map<Setting, String> poolSettings() {
        return new EnumMap<>(properties);
    }

    /** Stores a config-property under its setting; blank removes it (the default or MicroProfile Config applies). */
    private void put(Setting setting, String value) {
        if (value == null || value.isBlank()) {
            properties.remove(setting);
        } else {
            properties.put(setting, value.trim());
        }
    }

    private String get(Setting setting) {
        return properties.get(setting);
    }

    public void setConfigName(String configName) {
        this.configName = configName;
    }

    public String getConfigName() {
        return configName;
    }

    public void setProvider(String value) {
        put(Setting.PROVIDER, value);
    }

    public String getProvider() {
        return get(Setting.PROVIDER);
    }

    public void setTenantId(String value) {
        put(Setting.TENANT_ID, value);
    }

    public String getTenantId() {
        return get(Setting.TENANT_ID);
    }

    public void setClientId(String value) {
        put(Setting.CLIENT_ID, value);
    }

    public String getClientId() {
        return get(Setting.CLIENT_ID);
    }

    public void setCertificatePath(String value) {
        put(Setting.CERTIFICATE_PATH, value);
    }

    public String getCertificatePath() {
        return get(Setting.CERTIFICATE_PATH);
    }

    public void setManagedIdentity(String value) {
        put(Setting.MANAGED_IDENTITY, value);
    }

    public String getManagedIdentity() {
        return get(Setting.MANAGED_IDENTITY);
    }

    public void setFederatedTokenFile(String value) {
        put(Setting.FEDERATED_TOKEN_FILE, value);
    }

    public String getFederatedTokenFile() {
        return get(Setting.FEDERATED_TOKEN_FILE);
    }

    public void setAuthority(String value) {
        put(Setting.AUTHORITY, value);
    }

    public String getAuthority() {
        return get(Setting.AUTHORITY);
    }

    public void setTokenEndpoint(String value) {
        put(Setting.TOKEN_ENDPOINT, value);
    }

    public String getTokenEndpoint() {
        return get(Setting.TOKEN_ENDPOINT);
    }

    public void setGrantType(String value) {
        put(Setting.GRANT_TYPE, value);
    }

    public String getGrantType() {
        return get(Setting.GRANT_TYPE);
    }

    public void setClientAuth(String value) {
        put(Setting.CLIENT_AUTH, value);
    }

    public String getClientAuth() {
        return get(Setting.CLIENT_AUTH);
    }

    public void setScope(String value) {
        put(Setting.SCOPE, value);
    }

    public String getScope() {
        return get(Setting.SCOPE);
    }

    public void setSigningKeyPath(String value) {
        put(Setting.SIGNING_KEY_PATH, value);
    }

    public String getSigningKeyPath() {
        return get(Setting.SIGNING_KEY_PATH);
    }

    public void setMailbox(String value) {
        put(Setting.MAILBOX, value);
    }

    public String getMailbox() {
        return get(Setting.MAILBOX);
    }

    public void setAllowedMailboxes(String value) {
        put(Setting.ALLOWED_MAILBOXES, value);
    }

    public String getAllowedMailboxes() {
        return get(Setting.ALLOWED_MAILBOXES);
    }

    public void setSaslMechanism(String value) {
        put(Setting.SASL_MECHANISM, value);
    }

    public String getSaslMechanism() {
        return get(Setting.SASL_MECHANISM);
    }

    public void setSmtpHost(String value) {
        put(Setting.SMTP_HOST, value);
    }

    public String getSmtpHost() {
        return get(Setting.SMTP_HOST);
    }

    public void setSmtpPort(String value) {
        put(Setting.SMTP_PORT, value);
    }

    public String getSmtpPort() {
        return get(Setting.SMTP_PORT);
    }

    public void setSmtpTls(String value) {
        put(Setting.SMTP_TLS, value);
    }

    public String getSmtpTls() {
        return get(Setting.SMTP_TLS);
    }

    public void setImapHost(String value) {
        put(Setting.IMAP_HOST, value);
    }

    public String getImapHost() {
        return get(Setting.IMAP_HOST);
    }

    public void setImapPort(String value) {
        put(Setting.IMAP_PORT, value);
    }

    public String getImapPort() {
        return get(Setting.IMAP_PORT);
    }

    public void setImapTls(String value) {
        put(Setting.IMAP_TLS, value);
    }

    public String getImapTls() {
        return get(Setting.IMAP_TLS);
    }

    public void setSecondaryCertificatePath(String value) {
        put(Setting.SECONDARY_CERTIFICATE_PATH, value);
    }

    public String getSecondaryCertificatePath() {
        return get(Setting.SECONDARY_CERTIFICATE_PATH);
    }

    public void setJwtIssuer(String value) {
        put(Setting.JWT_ISSUER, value);
    }

    public String getJwtIssuer() {
        return get(Setting.JWT_ISSUER);
    }

    public void setJwtAudience(String value) {
        put(Setting.JWT_AUDIENCE, value);
    }

    public String getJwtAudience() {
        return get(Setting.JWT_AUDIENCE);
    }

    public void setPop3Host(String value) {
        put(Setting.POP3_HOST, value);
    }

    public String getPop3Host() {
        return get(Setting.POP3_HOST);
    }

    public void setPop3Port(String value) {
        put(Setting.POP3_PORT, value);
    }

    public String getPop3Port() {
        return get(Setting.POP3_PORT);
    }

    public void setPop3Tls(String value) {
        put(Setting.POP3_TLS, value);
    }

    public String getPop3Tls() {
        return get(Setting.POP3_TLS);
    }

    public void setMaxConnectionsPerMailbox(String value) {
        put(Setting.MAX_CONNECTIONS_PER_MAILBOX, value);
    }

    public String getMaxConnectionsPerMailbox() {
        return get(Setting.MAX_CONNECTIONS_PER_MAILBOX);
    }

    public void setConnectTimeoutMs(String value) {
        put(Setting.CONNECT_TIMEOUT_MS, value);
    }

    public String getConnectTimeoutMs() {
        return get(Setting.CONNECT_TIMEOUT_MS);
    }

    public void setReadTimeoutMs(String value) {
        put(Setting.READ_TIMEOUT_MS, value);
    }

    public String getReadTimeoutMs() {
        return get(Setting.READ_TIMEOUT_MS);
    }

    public void setTokenWaitMs(String value) {
        put(Setting.TOKEN_WAIT_MS, value);
    }

    public String getTokenWaitMs() {
        return get(Setting.TOKEN_WAIT_MS);
    }

    public void setPoolWaitMs(String value) {
        put(Setting.POOL_WAIT_MS, value);
    }

    public String getPoolWaitMs() {
        return get(Setting.POOL_WAIT_MS);
    }

    public void setSendDeadlineMs(String value) {
        put(Setting.SEND_DEADLINE_MS, value);
    }

    public String getSendDeadlineMs() {
        return get(Setting.SEND_DEADLINE_MS);
    }

    public void setTrustStorePath(String value) {
        put(Setting.TRUST_STORE_PATH, value);
    }

    public String getTrustStorePath() {
        return get(Setting.TRUST_STORE_PATH);
    }

    public void setTrustStoreType(String value) {
        put(Setting.TRUST_STORE_TYPE, value);
    }

    public String getTrustStoreType() {
        return get(Setting.TRUST_STORE_TYPE);
    }

    public void setMailDebug(String value) {
        put(Setting.MAIL_DEBUG, value);
    }

    public String getMailDebug() {
        return get(Setting.MAIL_DEBUG);
    }

    public void setCloud(String value) {
        put(Setting.CLOUD, value);
    }

    public String getCloud() {
        return get(Setting.CLOUD);
    }

    public void setProxyHost(String value) {
        put(Setting.PROXY_HOST, value);
    }

    public String getProxyHost() {
        return get(Setting.PROXY_HOST);
    }

    public void setProxyPort(String value) {
        put(Setting.PROXY_PORT, value);
    }

    public String getProxyPort() {
        return get(Setting.PROXY_PORT);
    }

    public void setProxyUser(String value) {
        put(Setting.PROXY_USER, value);
    }

    public String getProxyUser() {
        return get(Setting.PROXY_USER);
    }

    public void setRefreshTokenFile(String value) {
        put(Setting.REFRESH_TOKEN_FILE, value);
    }

    public String getRefreshTokenFile() {
        return get(Setting.REFRESH_TOKEN_FILE);
    }

    public void setCredentialExpires(String value) {
        put(Setting.CREDENTIAL_EXPIRES, value);
    }

    public String getCredentialExpires() {
        return get(Setting.CREDENTIAL_EXPIRES);
    }

    public void setSecondaryCredentialExpires(String value) {
        put(Setting.SECONDARY_CREDENTIAL_EXPIRES, value);
    }

    public String getSecondaryCredentialExpires() {
        return get(Setting.SECONDARY_CREDENTIAL_EXPIRES);
    }

    public void setSendVia(String value) {
        put(Setting.SEND_VIA, value);
    }

    public String getSendVia() {
        return get(Setting.SEND_VIA);
    }

    public void setGraphEndpoint(String value) {
        put(Setting.GRAPH_ENDPOINT, value);
    }

    public String getGraphEndpoint() {
        return get(Setting.GRAPH_ENDPOINT);
    }

    public void setGraphDraftRoute(String value) {
        put(Setting.GRAPH_DRAFT_ROUTE, value);
    }

    public String getGraphDraftRoute() {
        return get(Setting.GRAPH_DRAFT_ROUTE);
    }

    public void setGraphSaveToSentItems(String value) {
        put(Setting.GRAPH_SAVE_TO_SENT_ITEMS, value);
    }

    public String getGraphSaveToSentItems() {
        return get(Setting.GRAPH_SAVE_TO_SENT_ITEMS);
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
