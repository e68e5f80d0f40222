package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLException;

/**
 * How {@link ImapLogin} and {@link Pop3Login} report a failed login to the operator: whatever went wrong while
 * connecting, securing or authenticating a store connection becomes one {@link StoreLoginException} with its message
 * ID (TLS failure, no answer within the configured timeout, connection failure), naming the server, the stage and the
 * setting to check, never the token.
 */
final class StoreLoginFailures {

    private StoreLoginFailures() {
    }

    /**
     * The failure to throw for {@code e}, raised in {@code stage} of a login to {@code protocol} server
     * {@code host:port}. The caller closes the connection first.
     */
    static StoreLoginException of(Exception e, String protocol, String host, int port, String stage,
            ConnectorSettings s) {
        String server = protocol + " server " + host + ":" + port;
        if (e instanceof StoreLoginException) {
            return (StoreLoginException) e;
        }
        if (e instanceof WireFault) {
            return new StoreLoginException((WireFault) e);
        }
        if (e instanceof SSLException) {
            return new StoreLoginException(MessageId.STORE_TLS_FAILED, "TLS with " + server + " failed (" + stage
                    + "): " + e.getMessage() + ". The server certificate must be trusted (JVM trust store or "
                    + s.key(Setting.TRUST_STORE_PATH) + ") and name " + host, false, null, e);
        }
        if (e instanceof SocketTimeoutException) {
            boolean connect = "connect".equals(stage);
            return new StoreLoginException(MessageId.STORE_NO_ANSWER, server + " did not answer (" + stage
                    + ") within " + (connect ? s.connectTimeout() : s.readTimeout()).toMillis() + " ms ("
                    + s.key(connect ? Setting.CONNECT_TIMEOUT_MS : Setting.READ_TIMEOUT_MS) + ")", false, null, e);
        }
        return new StoreLoginException(MessageId.STORE_CONNECT_FAILED, "cannot open " + protocol + " connection to "
                + host + ":" + port + " (" + stage + "): " + e, false, null, e);
    }
}
