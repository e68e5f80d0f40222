package io.github.oauth2mail.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;

/**
 * The socket {@link Pop3SocketFactory} hands to the Jakarta Mail implementation's POP3 store: {@code connect} opens
 * and authenticates the connection with {@link Pop3Login} (or takes one already opened), and the store then talks
 * through a {@link Pop3Handover}, which answers its greeting and login itself. Everything else is delegated to the
 * (TLS) socket under it.
 */
final class Pop3Socket extends Socket {

    private final Login login;
    private volatile Pop3Login.Result result;
    private volatile Pop3Handover handover;
    private volatile boolean closed;
    private int soTimeout = -1;

    /** Opens and authenticates the connection to {@code endpoint}. */
    @FunctionalInterface
    interface Login {
        Pop3Login.Result open(SocketAddress endpoint) throws IOException;
    }

    Pop3Socket(Login login) {
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
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        Pop3Login.Result r = login.open(endpoint);
        try {
            if (soTimeout >= 0) {
                r.channel.socket().setSoTimeout(soTimeout);
            }
            handover = new Pop3Handover(r.channel, r.in, r.channel.socket().getOutputStream());
        } catch (IOException | RuntimeException | Error e) {
            r.close(); // not yet in result, so close() would not see it: the authenticated socket must not leak
            throw e;
        }
        result = r;
    }

    private Pop3Login.Result connected() throws SocketException {
        Pop3Login.Result r = result;
        if (r == null) {
            throw new SocketException("Socket is not connected");
        }
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        return r;
    }

    private Socket tcp() throws SocketException {
        return connected().channel.rawSocket();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        connected();
        return handover.in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        connected();
        return handover.out;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        Pop3Login.Result r = result;
        if (r != null) {
            r.channel.close();
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
        Pop3Login.Result r = result;
        return closed || r != null && r.channel.isClosed();
    }

    @Override
    public void shutdownInput() throws IOException {
        connected().channel.socket().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        connected().channel.socket().shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        Pop3Login.Result r = result;
        return r != null && r.channel.socket().isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        Pop3Login.Result r = result;
        return r != null && r.channel.socket().isOutputShutdown();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        soTimeout = timeout;
        Pop3Login.Result r = result;
        if (r != null) {
            r.channel.socket().setSoTimeout(timeout);
        }
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        Pop3Login.Result r = result;
        return r != null ? r.channel.socket().getSoTimeout() : Math.max(0, soTimeout);
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // always on: the adapter's connections never wait for Nagle
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return tcp().getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        tcp().setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return tcp().getKeepAlive();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        tcp().setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return tcp().getSoLinger();
    }

    @Override
    public InetAddress getInetAddress() {
        Pop3Login.Result r = result;
        return r == null ? null : r.channel.rawSocket().getInetAddress();
    }

    @Override
    public int getPort() {
        Pop3Login.Result r = result;
        return r == null ? 0 : r.channel.rawSocket().getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        Pop3Login.Result r = result;
        return r == null ? InetAddress.getLoopbackAddress() : r.channel.rawSocket().getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        Pop3Login.Result r = result;
        return r == null ? -1 : r.channel.rawSocket().getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        Pop3Login.Result r = result;
        return r == null ? null : r.channel.rawSocket().getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        Pop3Login.Result r = result;
        return r == null ? null : r.channel.rawSocket().getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public String toString() {
        Pop3Login.Result r = result;
        return "Pop3Socket[" + (r == null ? "unconnected" : r.channel.socket().toString()) + "]";
    }
}
