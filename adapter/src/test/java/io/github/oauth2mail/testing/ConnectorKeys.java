package io.github.oauth2mail.testing;

import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MicroProfile Config keys of one connector resource for end-to-end tests: generic OAuth2 against a
 * {@link TestTokenIssuer}, SMTP on 127.0.0.1. Mutable, and read by the factory whenever it (re)loads its settings,
 * so a test can "fix the config" and restart the resource.
 */
public final class ConnectorKeys {

    public static final String SECRET = "fault-client-secret-Zq9xV2";

    private final String name;
    private final Map<String, String> values = new ConcurrentHashMap<>();

    private ConnectorKeys(String name) {
        this.name = name;
    }

    /** Resource {@code name}: mailbox, SMTP port and TLS mode, trusting the issuer's (and GreenMail's) certificate. */
    public static ConnectorKeys of(String name, TestTokenIssuer issuer, String mailbox, int smtpPort, String tls) {
        ConnectorKeys k = new ConnectorKeys(name);
        k.set("provider", "oauth2").set("token-endpoint", issuer.tokenEndpoint()).set("client-id", "fault-client")
                .set("client-secret", SECRET).set("scope", "https://mail.example.com/.default")
                .set("mailbox", mailbox).set("smtp.host", "127.0.0.1").set("smtp.port", String.valueOf(smtpPort))
                .set("smtp.tls", tls).set("connect-timeout-ms", "5000").set("read-timeout-ms", "10000");
        issuer.trustKeys(name).forEach(k.values::put);
        return k;
    }

    /** Sets {@code oauth2mail.<name>.<key>}; a null value removes it. */
    public ConnectorKeys set(String key, String value) {
        if (value == null) {
            values.remove("oauth2mail." + name + "." + key);
        } else {
            values.put("oauth2mail." + name + "." + key, value);
        }
        return this;
    }

    public String name() {
        return name;
    }

    /** A live view: later {@link #set} calls are seen when the factory loads its settings again. */
    public SettingsSource source() {
        return key -> Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public OAuth2MailManagedConnectionFactory factory() {
        return new OAuth2MailManagedConnectionFactory(name, source());
    }
}
