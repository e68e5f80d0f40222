package io.github.oauth2mail.it.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.MailServer;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import java.util.List;

/** The check the doc ITs make after each migration step: one mail through the unchanged sample app, and its login. */
public final class SentWith {

    private SentWith() {
    }

    /** Sends one mail through {@code server}'s sample app; it arrives once and its SMTP transaction logged in so. */
    public static void assertSentWith(MailServer mail, AppServer server, String subject, String loginPattern)
            throws Exception {
        int before = mail.smtpLogins().size();

        Reply reply = new SampleAppClient(server.sampleApp()).send("someone@example.org", subject, subject);

        assertThat(reply.status()).as(reply.body() + "\nlog: " + server.logLocation()).isEqualTo(200);
        assertThat(mail.receivedWithSubject(subject)).hasSize(1);
        List<String> logins = mail.smtpLogins();
        assertThat(logins.subList(before, logins.size())).as("how the mail '%s' logged in", subject)
                .singleElement().asString().matches(loginPattern);
    }
}
