package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.TlsSupport;
import io.github.oauth2mail.testing.TestSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #12 case 4: an IMAP server that never ends a login exchange (endless {@code +} continuations or untagged
 * lines during AUTHENTICATE, endless {@code * OK} after STARTTLS) gets a bounded failure, not a spinning thread; and
 * case 9: the authenticated socket never leaks when the store's socket options fail.
 */
class ImapHostileServerTest {

    static final String MAILBOX = "reader@example.com";
    static final long CAP = 64L * 1024 * 1024; // the server gives up here (old code: it kept reading until then)

    private HostileServer hostile;

    @AfterEach
    void stop() throws Exception {
        if (hostile != null) {
            hostile.close();
        }
    }

    private ImapLogin.Result login(String tls) throws StoreLoginException {
        ConnectorSettings s = TestSettings.mailbox(MAILBOX).trust(SmtpConnectionProtocolTest.CERTS)
                .imap("127.0.0.1", hostile.port(), tls).build();
        return ImapLogin.open(s, TlsSupport.socketFactory(s), MAILBOX, "tok");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
    void login_endlessContinuationsDuringAuthenticate_boundedFailure() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        hostile = HostileServer.implicitTls(SmtpConnectionProtocolTest.CERTS.serverContext(), p -> {
            p.send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2] hostile");
            p.readLine();
            while (answered.get() < 1_000_000) {
                p.send("+ ");
                if (p.readLine() == null) {
                    return;
                }
                answered.incrementAndGet();
            }
        });
        StoreLoginException e = catchThrowableOfType(StoreLoginException.class, () -> login("implicit"));
        assertThat(e.getMessage()).contains("OAM253", "IMAP server 127.0.0.1:" + hostile.port(), "continuation");
        assertThat(answered.get()).as("continuations the client answered").isLessThanOrEqualTo(
                ImapLogin.MAX_CONTINUATIONS);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
    void login_endlessUntaggedLinesDuringAuthenticate_boundedFailure() throws Exception {
        hostile = HostileServer.implicitTls(SmtpConnectionProtocolTest.CERTS.serverContext(), p -> {
            p.send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] hostile");
            p.readLine();
            p.flood("* OK still thinking", CAP);
        });
        StoreLoginException e = catchThrowableOfType(StoreLoginException.class, () -> login("implicit"));
        assertThat(e.getMessage()).contains("OAM250", "(AUTHENTICATE)", "10000 lines");
        assertThat(hostile.bytesSent()).isLessThan(16L * 1024 * 1024);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
    void login_endlessOkLinesAfterStartTls_boundedFailureAndNoTlsOverUnansweredCommand() throws Exception {
        hostile = HostileServer.plain(p -> {
            p.send("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=XOAUTH2] hostile");
            p.readLine();
            p.flood("* OK keep waiting", CAP);
        });
        StoreLoginException e = catchThrowableOfType(StoreLoginException.class, () -> login("starttls"));
        assertThat(e.getMessage()).contains("OAM250", "(STARTTLS)");
        assertThat(hostile.bytesSent()).isLessThan(16L * 1024 * 1024);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only: each byte came within the read timeout, so the old code waited for ever
    void login_trickledGreeting_failsOnTheWholeReplyDeadline() throws Exception {
        hostile = HostileServer.implicitTls(SmtpConnectionProtocolTest.CERTS.serverContext(), p -> {
            for (int i = 0; i < 100_000; i++) {
                p.sendRaw("*");
                SmtpHostileServerTest.pace(20);
            }
        });
        ConnectorSettings s = TestSettings.mailbox(MAILBOX).trust(SmtpConnectionProtocolTest.CERTS)
                .imap("127.0.0.1", hostile.port(), "implicit").set("read-timeout-ms", "500").build();
        StoreLoginException e = catchThrowableOfType(StoreLoginException.class,
                () -> ImapLogin.open(s, TlsSupport.socketFactory(s), MAILBOX, "tok"));
        assertThat(e.getMessage()).contains("OAM267", "(greeting)", "500 ms");
    }

    @Test
    void connect_socketOptionFailsAfterLogin_authenticatedSocketClosed() throws Exception {
        Socket tcp = new Socket() {
            @Override
            public synchronized void setSoTimeout(int timeout) throws SocketException {
                throw new SocketException("option refused");
            }
        };
        PreauthenticatedSocket socket = new PreauthenticatedSocket(
                endpoint -> new ImapLogin.Result(tcp, tcp, java.io.InputStream.nullInputStream(), null));
        socket.setSoTimeout(1000);
        IOException e = catchThrowableOfType(IOException.class,
                () -> socket.connect(new InetSocketAddress("127.0.0.1", 993), 0));
        assertThat(e).hasMessageContaining("option refused");
        assertThat(tcp.isClosed()).as("the authenticated socket is closed, not leaked").isTrue();
    }
}
