package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MessageId;
import io.github.oauth2mail.token.AccessToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * One OAuth2 SASL mechanism for SMTP AUTH (RFC 4954). The exchange: the initial response inline when the command
 * line fits RFC 5321's 512-byte minimum, else on its own line after an empty {@code 334}; a {@code 334} error
 * challenge is decoded and acknowledged so the server sends its final reply. Secret lines never reach the trace.
 */
abstract class SaslMechanism {

    /** RFC 5321 4.5.3.1.4: the command line length every server must accept, CRLF included. */
    static final int MAX_COMMAND_LINE = 512;

    static SaslMechanism forName(String name) {
        switch (name.toUpperCase(Locale.ROOT)) {
            case "XOAUTH2":
                return new XOAuth2Mechanism();
            case "OAUTHBEARER":
                return new OAuthBearerMechanism();
            default:
                throw new IllegalArgumentException("unsupported SASL mechanism " + name);
        }
    }

    /** The name in EHLO's AUTH line and the AUTH command. */
    abstract String name();

    /** The (unencoded) initial client response; it holds the token. */
    abstract String initialResponse(String user, String token, String host, int port);

    /** The base64 line the client answers an error challenge with. */
    abstract String errorAcknowledgement();

    /**
     * Authenticates; returns on {@code 235}.
     *
     * @throws SmtpAuthenticationException when the server does not accept the token (the connection then should be
     *                                     closed: RFC 4954 servers may refuse a second AUTH)
     */
    final void authenticate(SmtpWire wire, String user, AccessToken token, String host, int port)
            throws IOException, SmtpAuthenticationException {
        String b64 = Base64.getEncoder().encodeToString(
                initialResponse(user, token.value(), host, port).getBytes(StandardCharsets.UTF_8));
        String inline = "AUTH " + name() + " " + b64;
        SmtpReply r;
        if (inline.length() + 2 <= MAX_COMMAND_LINE) {
            r = wire.secretCommand(inline, "AUTH " + name() + " <redacted>");
        } else {
            r = wire.command("AUTH " + name());
            if (r.code() == 235) {
                throw new WireFault(MessageId.AUTH_ACCEPTED_BEFORE_TOKEN, "SMTP server " + host + ":" + port
                        + " answered AUTH " + name()
                        + " with " + LineChannel.abbreviate(r.toString()) + " before the token was sent: a protocol "
                        + "error (a server or something in between that does not check the token); connection "
                        + "discarded");
            }
            if (r.code() != 334) {
                throw SmtpAuthenticationException.failed(host, port, user, name(), r, null);
            }
            r = wire.secretCommand(b64, "<redacted>");
        }
        OAuthErrorChallenge error = null;
        if (r.code() == 334) {
            error = OAuthErrorChallenge.decode(r.text(0));
            wire.trace("OAuth2 error challenge: " + error);
            r = wire.secretCommand(errorAcknowledgement(), errorAcknowledgement());
        }
        if (r.code() != 235) {
            throw SmtpAuthenticationException.failed(host, port, user, name(), r, error);
        }
    }
}
