package io.github.oauth2mail.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Transport-provider mode as a server's own mail session uses it: a plain Session naming the adapter's classes. */
class ProviderConnectorsTest {

    private static Session serverSession(String configName) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.class", ProviderTransport.class.getName());
        p.setProperty("mail.imap.class", ProviderStore.class.getName());
        if (configName != null) {
            p.setProperty(ProviderConnectors.CONFIG_NAME, configName);
        }
        return Session.getInstance(p);
    }

    private static MimeMessage message(Session session) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("app@example.com"));
        m.setRecipients(Message.RecipientType.TO, "someone@example.org");
        m.setText("hello");
        return m;
    }

    @Test
    void getTransport_mailSmtpClassNamesTheAdapter_isTheProviderTransport() throws Exception {
        // registered through META-INF/javamail.providers; Jakarta Mail ignores mail.smtp.class for unknown classes
        assertThat(serverSession("x").getTransport("smtp")).isInstanceOf(ProviderTransport.class);
        assertThat(serverSession("x").getStore("imap")).isInstanceOf(ProviderStore.class);
    }

    @Test
    void getTransport_sessionWithoutTheProperty_keepsTheDefaultSmtp() throws Exception {
        Session plain = Session.getInstance(new Properties());
        assertThat(plain.getTransport("smtp")).isNotInstanceOf(ProviderTransport.class);
        assertThat(plain.getStore("imap")).isNotInstanceOf(ProviderStore.class);
    }

    @Test
    void send_noConfigName_failsNamingTheSessionProperty() throws Exception {
        Session session = serverSession(null);

        assertThatThrownBy(() -> Transport.send(message(session)))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("OAM240").hasMessageContaining(ProviderConnectors.CONFIG_NAME);
    }

    @Test
    void send_settingsMissing_failsNamingEveryMissingKey() throws Exception {
        Session session = serverSession("providermode-unset");

        assertThatThrownBy(() -> Transport.send(message(session)))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("OAM001").hasMessageContaining("oauth2mail.providermode-unset.mailbox");
    }
}
