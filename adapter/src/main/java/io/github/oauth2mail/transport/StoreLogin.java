package io.github.oauth2mail.transport;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The steps {@link ImapLogin} and {@link Pop3Login} share around their protocol's own exchange: opening the
 * {@link LineChannel} to the configured server (TLS first when implicit) and reading its greeting, the TLS handshake,
 * keeping track of the step under way, and turning whatever failed into one {@link StoreLoginException} for the
 * operator (TLS failure, no answer within the configured timeout, connection failure), naming the server, the step
 * and the setting to check, never the token, with the connection closed first.
 */
abstract class StoreLogin {

    final String protocol;
    final SaslMechanism mechanism;
    final String host;
    final int port;
    final String mailbox;
    /** "IMAP server host:port", for messages. */
    final String server;
    LineChannel channel;
    private String stage = "connect";

    StoreLogin(String protocol, ConnectorSettings s, String host, int port, String mailbox) {
        this.protocol = protocol;
        this.mechanism = SaslMechanism.forName(s.saslMechanism().name());
        this.host = host;
        this.port = port;
        this.mailbox = mailbox;
        this.server = protocol + " server " + host + ":" + port;
    }

    /** Reads the server's next line (traced as the protocol shows it). */
    abstract String readLine() throws IOException;

    /**
     * Connects (TCP_NODELAY, timeouts, the {@code traceId} trace), does the TLS handshake first when
     * {@code implicitTls}, and returns the server's greeting line.
     */
    final String connect(ConnectorSettings s, SSLSocketFactory tls, boolean implicitTls, Logger log, String traceId)
            throws IOException {
        channel = LineChannel.connect(server, host, port, s.connectTimeout(), s.readTimeout(), s.mailDebug(), log,
                traceId, "[" + mailbox + " " + host + ":" + port + "]");
        if (implicitTls) {
            startTls(tls, false);
        }
        stage("greeting");
        channel.stage("greeting");
        channel.beginReply();
        return readLine();
    }

    /** The TLS handshake with the server's identity checked; {@code afterStartTls}: over the plain connection. */
    final void startTls(SSLSocketFactory tls, boolean afterStartTls) throws IOException {
        stage("TLS handshake");
        channel.stage("TLS handshake");
        channel.startTls(tls, host, port, afterStartTls);
    }

    /** Names the step under way, for the failure message. */
    final void stage(String name) {
        stage = name;
    }

    /** Closes the connection, if any. */
    final void close() {
        if (channel != null) {
            channel.abort();
        }
    }

    /** Closes the connection and returns the failure to throw for {@code e}, raised in the current step. */
    final StoreLoginException failed(Exception e, ConnectorSettings s) {
        close();
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

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
