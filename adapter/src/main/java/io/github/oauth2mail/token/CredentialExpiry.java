package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * When a resource's credentials expire: certificates by their {@code notAfter}, a client secret or refresh token by
 * {@code credential-expires}, the secondary client secret by {@code secondary.credential-expires} (the start of that
 * day, UTC). Warns (OAM119, WARNING) when 30, 7 and 1 days or less are
 * left, and once expired: once per threshold for each credential and date, not on every fetch; a replaced credential
 * with a new date starts over. Public for the diagnostic command ({@link #of}, {@link #describe}).
 */
public final class CredentialExpiry {

    /** Days before expiry at which OAM119 is logged (and health names the credential from the first one on). */
    static final int[] THRESHOLD_DAYS = {30, 7, 1};

    private static final Logger LOG = Logger.getLogger(CredentialExpiry.class.getName());

    /** A credential ({@code certificate-path}, {@code client-secret}, ...) and when it expires. */
    public record Entry(String credential, Instant expiresAt) {
    }

    /** The smallest threshold (in days; 0 = expired) already warned about, per credential and date. */
    private final Map<Entry, Integer> warned = new HashMap<>();

    CredentialExpiry() {
    }

    /** Every known expiry of {@code s}'s credentials, soonest first. */
    public static List<Entry> of(ConnectorSettings s) {
        List<Entry> l = new ArrayList<>();
        s.certificate().ifPresent(c -> l.add(new Entry(Setting.CERTIFICATE_PATH.key(),
                c.certificate().getNotAfter().toInstant())));
        s.secondaryCertificate().ifPresent(c -> l.add(new Entry(Setting.SECONDARY_CERTIFICATE_PATH.key(),
                c.certificate().getNotAfter().toInstant())));
        s.credentialExpires().ifPresent(d -> l.add(new Entry(primary(s), d.atStartOfDay(ZoneOffset.UTC).toInstant())));
        s.secondaryCredentialExpires().ifPresent(d -> l.add(new Entry(Setting.SECONDARY_CLIENT_SECRET.key(),
                d.atStartOfDay(ZoneOffset.UTC).toInstant())));
        l.sort(Comparator.comparing(Entry::expiresAt));
        return l;
    }

    /** Logs OAM119 for each credential that crossed a threshold since the last check; returns {@link #of}'s list. */
    synchronized List<Entry> check(ConnectorSettings s, Instant now) {
        List<Entry> entries = of(s);
        for (Entry e : entries) {
            Duration left = Duration.between(now, e.expiresAt());
            Integer level = level(left);
            if (level == null) {
                continue;
            }
            Integer before = warned.get(e);
            if (before != null && before <= level) {
                continue;
            }
            warned.put(e, level);
            LOG.warning(MessageId.CREDENTIAL_EXPIRES_SOON.message("Connector resource '" + s.name() + "': credential "
                    + e.credential() + (left.isNegative() || left.isZero() ? " expired at " + e.expiresAt()
                    : " expires at " + e.expiresAt() + " (in " + describe(left) + ")")
                    + "; create the next one and put it into " + s.key(keyOf(e.credential()))
                    + " (it is read again without a restart)"));
        }
        return entries;
    }

    /** True when {@code left} is within the first threshold (30 days) or the credential has expired: OAM119 applies. */
    public static boolean warns(Duration left) {
        return level(left) != null;
    }

    /** The threshold {@code left} has crossed: 30, 7, 1, or 0 once expired; null when more than 30 days are left. */
    static Integer level(Duration left) {
        if (!left.isNegative() && !left.isZero() && left.compareTo(Duration.ofDays(THRESHOLD_DAYS[0])) > 0) {
            return null;
        }
        if (left.isNegative() || left.isZero()) {
            return 0;
        }
        int level = THRESHOLD_DAYS[0];
        for (int d : THRESHOLD_DAYS) {
            if (left.compareTo(Duration.ofDays(d)) <= 0) {
                level = d;
            }
        }
        return level;
    }

    /** e.g. {@code 6 days 23 h}, {@code 5 h}. */
    public static String describe(Duration left) {
        long days = left.toDays();
        long hours = left.minusDays(days).toHours();
        return days > 0 ? days + " days " + hours + " h" : Math.max(hours, 0) + " h";
    }

    /** The credential {@code credential-expires} describes: the one that is neither a certificate nor an identity. */
    private static String primary(ConnectorSettings s) {
        if (s.provider() == ConnectorSettings.Provider.ENTRA) {
            return s.clientSecret().isPresent() ? Setting.CLIENT_SECRET.key() : Setting.FEDERATED_TOKEN_FILE.key();
        }
        if (s.grant() == ConnectorSettings.Grant.CLIENT_CREDENTIALS) {
            return Setting.CLIENT_SECRET.key();
        }
        return s.grant() == ConnectorSettings.Grant.REFRESH_TOKEN ? Setting.REFRESH_TOKEN.key()
                : Setting.SIGNING_KEY_PATH.key();
    }

    private static Setting keyOf(String credential) {
        Setting s = Setting.byKey(credential);
        return s == null ? Setting.CREDENTIAL_EXPIRES : s;
    }
}
