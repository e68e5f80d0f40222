package io.github.oauth2mail.it.support;

import io.github.oauth2mail.testing.TestCertificates;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.user.UserImpl;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/**
 * GreenMail in this JVM with SMTPS and IMAPS (implicit TLS, GreenMail has no STARTTLS) on free ports of
 * {@code 127.0.0.1}, presenting the test certificate, and one mailbox that logs in with its address: with its password
 * (PLAIN/LOGIN), or, after {@link #acceptTokensFrom}, with any token the issuer still deems valid (XOAUTH2).
 */
public final class MailServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    private static final long STARTUP_TIMEOUT_MS = 60_000;

    private final RecordingGreenMail greenMail;
    private final String mailbox;

    private MailServer(RecordingGreenMail greenMail, String mailbox) {
        this.greenMail = greenMail;
        this.mailbox = mailbox;
    }

    /**
     * Starts GreenMail. Its TLS key store comes from system properties that GreenMail reads when it creates its
     * server sockets, so they are set here, before the start.
     */
    public static MailServer start(TestCertificates certificates, String mailbox, String password) {
        String keyStore = certificates.serverKeyStore().toString();
        String loaded = System.getProperty("greenmail.tls.keystore.file");
        if (loaded != null && !loaded.equals(keyStore)) {
            // GreenMail caches its TLS socket factory statically: a second key store would be silently ignored
            throw new IllegalStateException("GreenMail in this JVM already uses " + loaded
                    + "; use Layout.certificates()");
        }
        System.setProperty("greenmail.tls.keystore.file", keyStore);
        System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
        ServerSetup[] setups = {
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTPS).dynamicPort(),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAPS).dynamicPort(),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_POP3S).dynamicPort(),
        };
        for (ServerSetup setup : setups) {
            // GreenMail's default of 2 s is too short on a loaded build machine (seen at load 20 on 2 cores)
            setup.setServerStartupTimeout(STARTUP_TIMEOUT_MS);
        }
        RecordingGreenMail greenMail = new RecordingGreenMail(setups);
        try {
            greenMail.start();
        } catch (RuntimeException e) {
            greenMail.stop(); // the listeners that did start are non-daemon threads: a demo JVM would never end
            throw e;
        }
        greenMail.setUser(mailbox, mailbox, password);
        return new MailServer(greenMail, mailbox);
    }

    public String mailbox() {
        return mailbox;
    }

    public int smtpsPort() {
        return greenMail.getSmtps().getPort();
    }

    public int imapsPort() {
        return greenMail.getImaps().getPort();
    }

    public int pop3sPort() {
        return greenMail.getPop3s().getPort();
    }

    /**
     * From now on the mailbox accepts exactly the tokens {@code issuer} deems valid (and no password): GreenMail asks
     * the user's token validator on every login, SMTP and IMAP.
     */
    public void acceptTokensFrom(TokenIssuer issuer) {
        ((UserImpl) user()).setTokenValidator(issuer::isValid);
    }

    /**
     * From now on the mailbox accepts both its password (PLAIN/LOGIN) and the tokens {@code issuer} deems valid
     * (XOAUTH2), as Exchange Online does for a mailbox until basic auth is turned off for the tenant. GreenMail hands
     * every login's secret to the token validator once one is set, so the validator checks both.
     */
    public void acceptPasswordAndTokensFrom(TokenIssuer issuer) {
        String password = password();
        ((UserImpl) user()).setTokenValidator(secret -> password.equals(secret) || issuer.isValid(secret));
    }

    /** The password GreenMail accepts for the mailbox (PLAIN/LOGIN, and XOAUTH2 while no token validator is set). */
    public void setPassword(String password) {
        user().setPassword(password);
    }

    public String password() {
        return user().getPassword();
    }

    private GreenMailUser user() {
        return greenMail.getUserManager().getUserByEmail(mailbox);
    }

    /**
     * Puts {@code message} into the mailbox of each of {@code recipients} (created as GreenMail does for SMTP), as
     * Exchange delivers what Microsoft Graph sent: the Graph emulator's deliveries become readable over IMAP/POP3 and
     * appear in {@link #received()}. No SMTP transaction is recorded.
     */
    public synchronized void deliver(MimeMessage message, List<String> recipients) {
        for (String address : recipients) {
            GreenMailUser user = greenMail.getUserManager().getUserByEmail(address);
            try {
                if (user == null) {
                    user = greenMail.getUserManager().createUser(address, address, address);
                }
            } catch (UserException e) {
                throw new IllegalStateException("cannot create GreenMail user " + address, e);
            }
            user.deliver(message);
        }
    }

    /** Every message GreenMail has accepted, in order. */
    public List<MimeMessage> received() {
        return Arrays.asList(greenMail.getReceivedMessages());
    }

    /** The accepted messages with this subject, in order. */
    public List<MimeMessage> receivedWithSubject(String subject) {
        return received().stream().filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /**
     * How each SMTP mail transaction was authenticated, oldest first: {@code "XOAUTH2 <user>"}, {@code "PLAIN <user>"},
     * {@code "LOGIN <user>"} or {@code "none"} (GreenMail accepts mail without AUTH).
     */
    public List<String> smtpLogins() {
        return greenMail.smtpLogins();
    }

    /** How many SMTP connections have been opened to this server so far. */
    public int smtpConnections() {
        return greenMail.smtpConnections();
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
