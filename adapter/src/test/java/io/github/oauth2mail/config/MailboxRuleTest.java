package io.github.oauth2mail.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.token.AccessToken;
import io.github.oauth2mail.token.TokenProvider;
import io.github.oauth2mail.transport.AdapterSessions;
import io.github.oauth2mail.transport.MailConnector;
import io.github.oauth2mail.transport.SmtpLease;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Service;
import jakarta.mail.Session;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one mailbox rule: SMTP ({@code Transport.connect}), IMAP and POP3 ({@code Store.connect}) accept and refuse the
 * same names an app passes, and authenticate as the same configured mailbox, before any network traffic.
 */
class MailboxRuleTest {

    private static final String P = "oauth2mail.rule.";

    private static ConnectorSettings settings() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(P + "tenant-id", "contoso");
        keys.put(P + "client-id", "app-1");
        keys.put(P + "client-secret", "s");
        keys.put(P + "mailbox", "Sender@Example.com");
        keys.put(P + "allowed-mailboxes", " Other@Example.com , third@example.com,,");
        return ConnectorSettings.load("rule", SettingsSource.of(keys), Map.of());
    }

    /** Where a connect got to: the mailbox it would authenticate as, or "refused" before any token or connection. */
    private static String outcome(String protocol, String user) throws Exception {
        Recorder connector = new Recorder(settings());
        Session session = AdapterSessions.create(connector);
        Service service = protocol.equals("smtp") ? session.getTransport("smtp") : session.getStore(protocol);
        try {
            service.connect(user, "ignored-password");
            return "connected?!";
        } catch (AuthenticationFailedException e) {
            assertThat(e.getMessage()).as(protocol + " refusal names the key").contains(P + "allowed-mailboxes")
                    .doesNotContain("ignored-password");
            return "refused";
        } catch (Reached r) {
            return r.mailbox;
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "   ", "sender@example.com", " Sender@Example.com ", "other@example.com",
            "\tOTHER@example.com\n", " third@example.com", "stranger@example.com", " stranger@example.com ",
            "other@example.com,stranger@example.com", "other @example.com", "other@example.com\r\nRCPT TO:<x@y>"})
    void connect_sameNameOnSmtpImapPop3_sameOutcome(String user) throws Exception {
        String smtp = outcome("smtp", user);

        assertThat(outcome("imap", user)).as("IMAP for '" + user + "'").isEqualTo(smtp);
        assertThat(outcome("pop3", user)).as("POP3 for '" + user + "'").isEqualTo(smtp);
    }

    @Test
    void connect_namesWithSurroundingSpaceOrOtherCase_authenticateAsTheConfiguredSpelling() throws Exception {
        for (String protocol : new String[] {"smtp", "imap", "pop3"}) {
            assertThat(outcome(protocol, "")).as(protocol).isEqualTo("Sender@Example.com");
            assertThat(outcome(protocol, " sender@example.COM ")).as(protocol).isEqualTo("Sender@Example.com");
            assertThat(outcome(protocol, " other@example.com ")).as(protocol).isEqualTo("Other@Example.com");
            assertThat(outcome(protocol, "stranger@example.com")).as(protocol).isEqualTo("refused");
            assertThat(outcome(protocol, "other@example.com\r\nRCPT TO:<x@y>")).as(protocol).isEqualTo("refused");
        }
    }

    @Test
    void allowedMailboxes_parsedOnceAsConfigured() {
        assertThat(settings().allowedMailboxes()).containsExactly("Other@Example.com", "third@example.com");
    }

    /** Records the mailbox a connect reached the token or connection step with, and stops there. */
    private static final class Reached extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String mailbox;

        Reached(String mailbox) {
            super(mailbox);
            this.mailbox = mailbox;
        }
    }

    private static final class Recorder implements MailConnector {
        private final ConnectorSettings settings;

        Recorder(ConnectorSettings settings) {
            this.settings = settings;
        }

        @Override
        public ConnectorSettings settings() {
            return settings;
        }

        @Override
        public TokenProvider tokens() {
            return new TokenProvider() {
                @Override
                public AccessToken token(String mailbox) {
                    throw new Reached(mailbox);
                }

                @Override
                public void invalidate(String mailbox, AccessToken rejected) {
                }
            };
        }

        @Override
        public SmtpLease lease(String mailbox) {
            throw new Reached(mailbox);
        }
    }
}
