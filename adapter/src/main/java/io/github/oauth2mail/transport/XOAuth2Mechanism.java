package io.github.oauth2mail.transport;

/**
 * Google/Microsoft XOAUTH2: {@code user=<mailbox>^Aauth=Bearer <token>^A^A}; an error challenge is answered with an
 * empty line.
 */
final class XOAuth2Mechanism extends SaslMechanism {

    @Override
    String name() {
        return "XOAUTH2";
    }

    @Override
    String initialResponse(String user, String token, String host, int port) {
        return "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001";
    }

    @Override
    String errorAcknowledgement() {
        return "";
    }
}
