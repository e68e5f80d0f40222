package io.github.oauth2mail.transport;

/**
 * RFC 7628 OAUTHBEARER: {@code n,a=<user>,^Ahost=<host>^Aport=<port>^Aauth=Bearer <token>^A^A}; an error challenge
 * is answered with a single {@code ^A} (base64 {@code AQ==}).
 */
final class OAuthBearerMechanism extends SaslMechanism {

    @Override
    String name() {
        return "OAUTHBEARER";
    }

    @Override
    String initialResponse(String user, String token, String host, int port) {
        // RFC 5801 saslname: ',' and '=' are escaped
        String a = user.replace("=", "=3D").replace(",", "=2C");
        return "n,a=" + a + ",\u0001host=" + host + "\u0001port=" + port + "\u0001auth=Bearer " + token
                + "\u0001\u0001";
    }

    @Override
    String errorAcknowledgement() {
        return "AQ==";
    }
}
