package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * Reads a resource's credentials again from where its settings came from (MicroProfile Config asked again, certificate
 * and key files read again from disk) and builds new token sources when one changed, so a rotated secret or
 * certificate is used without a restart. At most every {@link #PERIOD} while tokens are fetched normally, and at most
 * every {@link #WHILE_REJECTED} while the identity provider rejects the credential. Settings that are not valid now
 * (an admin half-way through an edit) keep the credentials in use (OAM121). Never logs a credential's value.
 */
final class CredentialReloader {

    /** How often the credentials are read again while nothing is wrong. */
    static final Duration PERIOD = Duration.ofMinutes(5);
    /** How often they are read again while the identity provider rejects them (callers keep asking). */
    static final Duration WHILE_REJECTED = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(CredentialReloader.class.getName());

    /** Which credentials changed ({@code client-secret}, ...), and the new sources (null: the sources stay). */
    record Result(List<String> changed, List<TokenSource> sources, ConnectorSettings settings) {
    }

    private final SSLContext tls;
    private final RefreshTokenStore refreshTokens;
    private ConnectorSettings current; // guarded by this
    private CredentialMaterial material; // guarded by this
    private Instant lastRead; // guarded by this

    /** @param refreshTokens the refresh token store of a {@code refresh_token} resource, else null */
    CredentialReloader(ConnectorSettings settings, SSLContext tls, RefreshTokenStore refreshTokens, Instant now) {
        this.tls = tls;
        this.refreshTokens = refreshTokens;
        this.current = settings;
        this.material = CredentialMaterial.of(settings);
        this.lastRead = now;
    }

    /** The settings the sources in use were built from. */
    synchronized ConnectorSettings current() {
        return current;
    }

    /**
     * Reads the credentials again when due.
     *
     * @param rejected true when the identity provider just rejected the credential (or still does)
     * @return what changed and the new sources, or null when not due, nothing changed, or the settings are invalid
     */
    synchronized Result reload(Instant now, boolean rejected) {
        if (now.isBefore(lastRead.plus(rejected ? WHILE_REJECTED : PERIOD))) {
            return null;
        }
        lastRead = now;
        ConnectorSettings fresh;
        CredentialMaterial freshMaterial;
        try {
            fresh = current.reload();
            freshMaterial = CredentialMaterial.of(fresh);
        } catch (RuntimeException e) {
            invalid(e);
            return null;
        }
        List<String> changed = freshMaterial.changedSince(material);
        if (changed.isEmpty()) {
            if (sameKind(fresh) && !sameExpiryDates(fresh)) {
                current = fresh; // a corrected credential-expires date counts from now on (OAM119, MBean, health)
            }
            return null;
        }
        material = freshMaterial; // a change is reported (or refused) once
        if (!sameKind(fresh)) {
            LOG.warning(MessageId.CREDENTIAL_RELOAD_INVALID.message("Connector resource '" + current.name()
                    + "': the provider or grant type changed; that takes a restart of the resource, so the credentials "
                    + "in use are kept"));
            return null;
        }
        if (refreshTokens != null && changed.contains("refresh-token") && fresh.refreshToken().isPresent()) {
            refreshTokens.configured(fresh.refreshToken().get().reveal());
        }
        if (CredentialMaterial.onlyRefreshToken(changed) && refreshTokens != null) {
            current = fresh;
            return new Result(changed, null, fresh);
        }
        List<TokenSource> sources;
        try {
            sources = TokenSources.create(fresh, tls, refreshTokens);
        } catch (RuntimeException e) {
            invalid(e);
            return null;
        }
        current = fresh;
        return new Result(changed, sources, fresh);
    }

    /** The provider and the grant type: changing them takes a restart. */
    private boolean sameKind(ConnectorSettings fresh) {
        return fresh.provider() == current.provider() && fresh.grant() == current.grant();
    }

    private boolean sameExpiryDates(ConnectorSettings fresh) {
        return fresh.credentialExpires().equals(current.credentialExpires())
                && fresh.secondaryCredentialExpires().equals(current.secondaryCredentialExpires());
    }

    /** OAM121 with the problems (which name keys, never values of secrets), and the credentials in use stay. */
    private void invalid(RuntimeException e) {
        String why = e instanceof MailFailure || e instanceof io.github.oauth2mail.config.ConfigurationException
                ? e.getMessage() : e.getClass().getName();
        LOG.log(Level.WARNING, MessageId.CREDENTIAL_RELOAD_INVALID.message("Connector resource '" + current.name()
                + "': the credentials were read again but the settings are not valid now; the credentials in use are "
                + "kept: " + why));
    }

    @Override
    public synchronized String toString() {
        return "CredentialReloader[" + current.name() + ", " + material + ", last read " + lastRead + "]";
    }
}
