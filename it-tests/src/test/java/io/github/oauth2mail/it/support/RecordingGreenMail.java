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

        RecordingSmtpServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            return new SmtpHandler(new SmtpCommandRegistry(), managers.getSmtpManager(), socket) {
                // AUTH holds for the whole SMTP session (RFC 4954), but GreenMail keeps it in the current message and
                // drops it after DATA: remember it per connection, or a pooled connection's second mail reads "none"
                private AuthenticationState sessionAuth;

                @Override
                protected void handleCommand() throws IOException {
                    super.handleCommand();
                    if (state == null || state.getMessage() == null) {
                        return;
                    }
                    AuthenticationState auth = state.getMessage().getAuthenticationState();
                    if (auth != null) {
                        sessionAuth = auth;
                    }
                    if (currentLine != null && currentLine.regionMatches(true, 0, "MAIL FROM", 0, 9)) {
                        logins.add(describe(auth != null ? auth : sessionAuth));
                    }
                }
            };
        }

        private static String describe(AuthenticationState auth) {
            if (auth == null) {
                return "none";
            }
            String user = auth instanceof UsernameAuthentication named ? named.getUsername() : "?";
            return auth.getType() + " " + user;
        }
    }
}
