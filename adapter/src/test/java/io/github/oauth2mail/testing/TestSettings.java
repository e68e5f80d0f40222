package io.github.oauth2mail.testing;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.SettingsSource;
import java.util.HashMap;
import java.util.Map;

/** Builds {@link ConnectorSettings} for resource {@code test} with a generic OAuth2 provider and a test trust store. */
public final class TestSettings {

    private final Map<String, String> values = new HashMap<>();

    private TestSettings(String mailbox) {
        set("provider", "oauth2");
        set("token-endpoint", "https://127.0.0.1:1/token");
        set("client-id", "test-client");
        set("client-secret", "test-secret");
        set("scope", "https://mail.example.com/.default");
        set("mailbox", mailbox);
        set("connect-timeout-ms", "5000");
        set("read-timeout-ms", "5000");
    }

    public static TestSettings mailbox(String mailbox) {
        return new TestSettings(mailbox);
    }

    /** Removes {@code oauth2mail.test.<key>}. */
    public TestSettings remove(String key) {
        values.remove("oauth2mail.test." + key);
        return this;
    }

    /** Sets {@code oauth2mail.test.<key>}. */
    public TestSettings set(String key, String value) {
        values.put("oauth2mail.test." + key, value);
        return this;
    }

    public TestSettings smtp(String host, int port, String tls) {
        return set("smtp.host", host).set("smtp.port", String.valueOf(port)).set("smtp.tls", tls);
    }

    public TestSettings imap(String host, int port, String tls) {
        return set("imap.host", host).set("imap.port", String.valueOf(port)).set("imap.tls", tls);
    }

    public TestSettings pop3(String host, int port, String tls) {
        return set("pop3.host", host).set("pop3.port", String.valueOf(port)).set("pop3.tls", tls);
    }

    public TestSettings trust(TestCertificates certs) {
        return set("trust-store-path", certs.trustStore().toString()).set("trust-store-password", TestCertificates.PASSWORD);
    }

    public ConnectorSettings build() {
        return ConnectorSettings.load("test", SettingsSource.of(values), Map.of());
    }
}
