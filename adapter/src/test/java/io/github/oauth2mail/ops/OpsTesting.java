package io.github.oauth2mail.ops;

import io.github.oauth2mail.config.SettingsSource;
import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import io.github.oauth2mail.testing.TestTokenIssuer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Settings, messages and JMX reads shared by the ops tests. */
final class OpsTesting {

    static final String A = "alice@example.com";
    static final String B = "bob@example.com";
    static final String RCPT = "rcpt@example.org";
    // short enough for an inline initial response: GreenMail does not support the two-step AUTH XOAUTH2
    static final String TOKEN1 = "ops-token-one-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static final String TOKEN2 = "ops-token-two-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    static final String SECRET = "ops-client-secret-S3cr3t-value";

    private OpsTesting() {
    }

    /** Full keys of a generic OAuth2 resource {@code name} sending as {@link #A} through {@code host:port}. */
    static Map<String, String> settings(String name, TestTokenIssuer issuer, int smtpPort, String tls) {
        Map<String, String> m = new LinkedHashMap<>();
        String p = "oauth2mail." + name + ".";
        m.put(p + "provider", "oauth2");
        m.put(p + "token-endpoint", issuer.tokenEndpoint());
        m.put(p + "client-id", "ops-client");
        m.put(p + "client-secret", SECRET);
        m.put(p + "scope", "https://mail.example.com/.default");
        m.put(p + "mailbox", A);
        m.put(p + "allowed-mailboxes", B);
        m.put(p + "smtp.host", "127.0.0.1");
        m.put(p + "smtp.port", String.valueOf(smtpPort));
        m.put(p + "smtp.tls", tls);
        m.put(p + "connect-timeout-ms", "5000");
        m.put(p + "read-timeout-ms", "10000");
        m.put(p + "token-wait-ms", "10000");
        m.putAll(issuer.trustKeys(name));
        return m;
    }

    static OAuth2MailManagedConnectionFactory factory(String name, Map<String, String> settings) {
        return new OAuth2MailManagedConnectionFactory(name, SettingsSource.of(settings));
    }

    static MimeMessage message(Session session, String from, String subject) throws MessagingException {
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(from));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(RCPT));
        msg.setSubject(subject);
        msg.setText("body of " + subject);
        return msg;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectName mbeanName(String configName) throws Exception {
        return new ObjectName("io.github.oauth2mail:type=Connector,name=" + configName);
    }

    static Object attribute(String configName, String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(mbeanName(configName), attribute);
    }

    /** Every attribute of the MBean as {@code name=value} lines (for secret scans). */
    static String allAttributes(ObjectName name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StringBuilder sb = new StringBuilder();
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
            sb.append(a.getName()).append('=').append(server.getAttribute(name, a.getName())).append('\n');
        }
        return sb.toString();
    }
}
