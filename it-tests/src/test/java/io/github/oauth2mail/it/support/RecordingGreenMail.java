package io.github.oauth2mail.it.support;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.smtp.auth.AuthenticationState;
import com.icegreen.greenmail.smtp.auth.UsernameAuthentication;
import com.icegreen.greenmail.smtp.commands.SmtpCommandRegistry;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GreenMail whose SMTP servers record how each mail transaction was authenticated. GreenMail accepts mail without
 * AUTH, so "the mail arrived" alone would not show that the connector logged in with XOAUTH2; this does. Only the
 * mechanism and the user name are kept, never the credentials.
 */
final class RecordingGreenMail extends GreenMail {

    RecordingGreenMail(ServerSetup[] setups) {
        super(setups);
    }

    /**
     * How each SMTP mail transaction so far was authenticated, oldest first: one entry per MAIL FROM,
     * {@code "XOAUTH2 user@example.com"}, {@code "PLAIN user"}, or {@code "none"}.
     */
    List<String> smtpLogins() {
        for (AbstractServer server : services.values()) {
            if (server instanceof RecordingSmtpServer recording) {
                return List.copyOf(recording.logins);
            }
        }
        return List.of();
    }

    /** How many connections the SMTP server has accepted so far (each one a session slot at a real server). */
    int smtpConnections() {
        for (AbstractServer server : services.values()) {
            if (server instanceof RecordingSmtpServer recording) {
                return recording.connections.get();
            }
        }
        return 0;
    }

    @Override
    protected Map<String, AbstractServer> createServices(ServerSetup[] setups, Managers managers) {
        Map<String, AbstractServer> services = super.createServices(setups, managers);
        for (ServerSetup setup : setups) {
            if (setup.getProtocol().startsWith(ServerSetup.PROTOCOL_SMTP)) {
                services.put(setup.getProtocol(), new RecordingSmtpServer(setup, managers));
            }
        }
        return services;
    }

    private static final class RecordingSmtpServer extends SmtpServer {
        private final List<String> logins = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();

        RecordingSmtpServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            connections.incrementAndGet();
            return new SmtpHandler(new SmtpCommandRegistry(), managers.getSmtpManager(), socket) {
                /** GreenMail forgets the login after each message; the connection stays authenticated. */
                private String login = "none";

                @Override
                protected void handleCommand() throws IOException {
                    super.handleCommand();
                    AuthenticationState auth = state.getMessage() == null ? null
                            : state.getMessage().getAuthenticationState();
                    if (auth != null) {
                        login = describe(auth);
                    }
                    if (currentLine != null && currentLine.regionMatches(true, 0, "MAIL FROM", 0, 9)) {
                        logins.add(login);
                    }
                }
            };
        }

        private static String describe(AuthenticationState auth) {
            String user = auth instanceof UsernameAuthentication named ? named.getUsername() : "?";
            return auth.getType() + " " + user;
        }
    }
}
