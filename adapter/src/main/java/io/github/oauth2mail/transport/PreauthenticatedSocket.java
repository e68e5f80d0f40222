package io.github.oauth2mail.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The socket {@link ImapSocketFactory} hands to the Jakarta Mail implementation's IMAP store: {@code connect} opens
 * and authenticates the connection with {@link ImapLogin}; the store then reads an IMAP {@code PREAUTH} greeting
 * (RFC 3501 7.1.4), so it skips its own login and speaks IMAP over the authenticated (TLS) connection. Everything
 * else is delegated to the TLS socket, like Angus Mail's own {@code WriteTimeoutSocket} does.
 */
final class PreauthenticatedSocket extends Socket {

    private final Login login;
    private volatile ImapLogin.Result result;
    private volatile InputStream in;
    private volatile boolean closed;
    private int soTimeout = -1;
    private String greeting;

    PreauthenticatedSocket(Login login) {
        this.login = login;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /** {@code timeout} is ignored: the connector's {@code connect-timeout-ms} applies. */
    @Override
    public synchronized void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (result != null) {
            throw new SocketException("already connected");
        }
        ImapLogin.Result r = login.open(endpoint);
        try {
            if (soTimeout >= 0) {
                r.socket.setSoTimeout(soTimeout);
            }
        } catch (IOException | RuntimeException | Error e) {
            // not yet in result, so close() would not see it: the authenticated socket must not leak
            SmtpWire.closeQuietly(r.raw);
            SmtpWire.closeQuietly(r.socket);
            throw e;
        }
        greeting = "* PREAUTH " + (r.capabilities == null ? "" : "[CAPABILITY " + r.capabilities + "] ")
                + "authenticated by the OAuth2 mail adapter\r\n";
        in = new SequenceInputStream(new ByteArrayInputStream(greeting.getBytes(StandardCharsets.US_ASCII)), r.in) {
            private int prefix = greeting.length();

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (prefix > 0 && c >= 0) {
                    prefix--;
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (prefix > 0 && n > 0) {
                    prefix -= Math.min(prefix, n);
                }
                return n;
            }

            @Override
            public int available() throws IOException {
                return prefix > 0 ? prefix : r.in.available();
            }
        };
        result = r;
    }

    /** Opens and authenticates the connection to {@code endpoint}. */
    @FunctionalInterface
    interface Login {
        ImapLogin.Result open(SocketAddress endpoint) throws IOException;
    }

    private ImapLogin.Result connected() throws SocketException {
        ImapLogin.Result r = result;
        if (r == null) {
            throw new SocketException("Socket is not connected");
        }
        return r;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        connected();
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        return connected().socket.getOutputStream();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        ImapLogin.Result r = result;
        if (r != null) {
            SmtpWire.closeQuietly(r.socket);
            SmtpWire.closeQuietly(r.raw);
        }
        super.close();
    }

    @Override
    public boolean isConnected() {
        return result != null;
    }

    @Override
    public boolean isBound() {
        return result != null;
    }

    @Override
    public boolean isClosed() {
        ImapLogin.Result r = result;
        return closed || r != null && r.raw.isClosed();
    }

    @Override
    public void shutdownInput() throws IOException {
        connected().socket.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        connected().socket.shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        ImapLogin.Result r = result;
        return r != null && r.socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        ImapLogin.Result r = result;
        return r != null && r.socket.isOutputShutdown();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        soTimeout = timeout;
        ImapLogin.Result r = result;
        if (r != null) {
            r.socket.setSoTimeout(timeout);
        }
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        ImapLogin.Result r = result;
        return r != null ? r.socket.getSoTimeout() : Math.max(0, soTimeout);
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        // always on: the adapter's connections never wait for Nagle
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return connected().raw.getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        connected().raw.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return connected().raw.getKeepAlive();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        connected().raw.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return connected().raw.getSoLinger();
    }

    @Override
    public InetAddress getInetAddress() {
        ImapLogin.Result r = result;
        return r == null ? null : r.raw.getInetAddress();
    }

    @Override
    public int getPort() {
        ImapLogin.Result r = result;
        return r == null ? 0 : r.raw.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        ImapLogin.Result r = result;
        return r == null ? InetAddress.getLoopbackAddress() : r.raw.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        ImapLogin.Result r = result;
        return r == null ? -1 : r.raw.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        ImapLogin.Result r = result;
        return r == null ? null : r.raw.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        ImapLogin.Result r = result;
        return r == null ? null : r.raw.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public String toString() {
        ImapLogin.Result r = result;
        return "PreauthenticatedSocket[" + (r == null ? "unconnected" : r.socket.toString()) + "]";
    }
}
