package io.github.oauth2mail.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * For the "plain" benchmark rows only: the adapter never sends a token without TLS, so to measure its code without
 * TLS, this becomes the JVM's default {@link SSLSocketFactory} (security property {@code ssl.SocketFactory.provider},
 * set by {@link ClientRun} in the plain-mode JVM) and layers a pass-through "TLS" socket over connections to the
 * sink's plain port (system property {@code bench.passthrough.port}); the sink answers STARTTLS there and stays in
 * clear. Every other connection (the token issuer's HTTPS) gets real TLS from the JVM's default context.
 */
public final class PassThroughTls extends SSLSocketFactory {

    private final int port = Integer.getInteger("bench.passthrough.port", -1);
    private final SSLSocketFactory real;

    public PassThroughTls() throws NoSuchAlgorithmException {
        this.real = SSLContext.getDefault().getSocketFactory();
    }

    @Override
    public Socket createSocket(Socket s, String host, int p, boolean autoClose) throws IOException {
        return p == port ? new PlainSslSocket(s) : real.createSocket(s, host, p, autoClose);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return real.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return real.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return real.createSocket();
    }

    @Override
    public Socket createSocket(String host, int p) throws IOException {
        return real.createSocket(host, p);
    }

    @Override
    public Socket createSocket(String host, int p, InetAddress localHost, int localPort) throws IOException {
        return real.createSocket(host, p, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int p) throws IOException {
        return real.createSocket(host, p);
    }

    @Override
    public Socket createSocket(InetAddress address, int p, InetAddress localAddress, int localPort) throws IOException {
        return real.createSocket(address, p, localAddress, localPort);
    }

    /** An "SSL" socket that is the plain socket underneath. */
    static final class PlainSslSocket extends SSLSocket {
        private static final SSLSession SESSION = (SSLSession) Proxy.newProxyInstance(
                SSLSession.class.getClassLoader(), new Class<?>[] {SSLSession.class}, (proxy, m, args) -> {
                    Class<?> t = m.getReturnType();
                    if (t == String.class) {
                        return "PASS-THROUGH";
                    }
                    if (t == boolean.class) {
                        return false;
                    }
                    if (t == int.class) {
                        return 0;
                    }
                    if (t == long.class) {
                        return 0L;
                    }
                    return null;
                });
        private final Socket s;

        PlainSslSocket(Socket s) {
            this.s = s;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return s.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return s.getOutputStream();
        }

        @Override
        public synchronized void close() throws IOException {
            s.close();
        }

        @Override
        public boolean isClosed() {
            return s.isClosed();
        }

        @Override
        public boolean isConnected() {
            return s.isConnected();
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            s.setSoTimeout(timeout);
        }

        @Override
        public synchronized int getSoTimeout() throws SocketException {
            return s.getSoTimeout();
        }

        @Override
        public void setTcpNoDelay(boolean on) throws SocketException {
            s.setTcpNoDelay(on);
        }

        @Override
        public boolean getTcpNoDelay() throws SocketException {
            return s.getTcpNoDelay();
        }

        @Override
        public InetAddress getInetAddress() {
            return s.getInetAddress();
        }

        @Override
        public int getPort() {
            return s.getPort();
        }

        @Override
        public void shutdownOutput() throws IOException {
            s.shutdownOutput();
        }

        @Override
        public void shutdownInput() throws IOException {
            s.shutdownInput();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return new String[0];
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return new String[0];
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
        }

        @Override
        public String[] getSupportedProtocols() {
            return new String[0];
        }

        @Override
        public String[] getEnabledProtocols() {
            return new String[0];
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
        }

        @Override
        public SSLSession getSession() {
            return SESSION;
        }

        @Override
        public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        }

        @Override
        public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        }

        @Override
        public void startHandshake() {
        }

        @Override
        public void setUseClientMode(boolean mode) {
        }

        @Override
        public boolean getUseClientMode() {
            return true;
        }

        @Override
        public void setNeedClientAuth(boolean need) {
        }

        @Override
        public boolean getNeedClientAuth() {
            return false;
        }

        @Override
        public void setWantClientAuth(boolean want) {
        }

        @Override
        public boolean getWantClientAuth() {
            return false;
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
        }

        @Override
        public boolean getEnableSessionCreation() {
            return true;
        }
    }
}
