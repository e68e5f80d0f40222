package io.github.oauth2mail.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;

/**
 * The socket plumbing {@link PreauthenticatedSocket} (IMAP) and {@link Pop3Socket} (POP3) share: {@code connect}
 * opens and authenticates the connection through a {@link Login} (the adapter's, never the Jakarta Mail
 * implementation's), and every other socket call is delegated to the authenticated connection: stream and timeout
 * calls to the socket the protocol speaks over (TLS when on), TCP options and addresses to the TCP socket under it,
 * like Angus Mail's own {@code WriteTimeoutSocket} does. A subclass says how its login result exposes those sockets
 * and prepares the streams the implementation reads and writes.
 *
 * @param <R> the authenticated connection the protocol's login returns
 */
abstract class StoreSocket<R> extends Socket {

    /** Opens and authenticates the connection to {@code endpoint}. */
    @FunctionalInterface
    interface Login<R> {
        R open(SocketAddress endpoint) throws IOException;
    }

    private final Login<R> login;
    private volatile R result;
    private volatile boolean closed;
    private int soTimeout = -1;

    StoreSocket(Login<R> login) {
        this.login = login;
    }

    /** The socket the protocol speaks over: the TLS socket when TLS is on. */
    abstract Socket socket(R r);

    /** The TCP socket under {@link #socket(Object)}. */
    abstract Socket tcp(R r);

    /** Whether the connection is closed (by either side). */
    abstract boolean isClosed(R r);

    /** Prepares the streams the implementation gets, once {@code r} is authenticated; {@code r} is not yet set. */
    abstract void attach(R r) throws IOException;

    /** Closes a connection whose {@link #attach} failed. */
    abstract void discard(R r);

    /** Closes the connection when this socket is closed. */
    abstract void release(R r);

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
        R r = login.open(endpoint);
        try {
            if (soTimeout >= 0) {
                socket(r).setSoTimeout(soTimeout);
            }
            attach(r);
        } catch (IOException | RuntimeException | Error e) {
            discard(r); // not yet in result, so close() would not see it: the authenticated socket must not leak
            throw e;
        }
        result = r;
    }

    /** The authenticated connection; throws when this socket is not connected or is closed. */
    final R connected() throws SocketException {
        R r = result;
        if (r == null) {
            throw new SocketException("Socket is not connected");
        }
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        return r;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        R r = result;
        if (r != null) {
            release(r);
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
        R r = result;
        return closed || r != null && isClosed(r);
    }

    @Override
    public void shutdownInput() throws IOException {
        socket(connected()).shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket(connected()).shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        R r = result;
        return r != null && socket(r).isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        R r = result;
        return r != null && socket(r).isOutputShutdown();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        soTimeout = timeout;
        R r = result;
        if (r != null) {
            socket(r).setSoTimeout(timeout);
        }
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        R r = result;
        return r != null ? socket(r).getSoTimeout() : Math.max(0, soTimeout);
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // always on: the adapter's connections never wait for Nagle
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return tcp(connected()).getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        tcp(connected()).setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return tcp(connected()).getKeepAlive();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        tcp(connected()).setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return tcp(connected()).getSoLinger();
    }

    @Override
    public InetAddress getInetAddress() {
        R r = result;
        return r == null ? null : tcp(r).getInetAddress();
    }

    @Override
    public int getPort() {
        R r = result;
        return r == null ? 0 : tcp(r).getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        R r = result;
        return r == null ? InetAddress.getLoopbackAddress() : tcp(r).getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        R r = result;
        return r == null ? -1 : tcp(r).getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        R r = result;
        return r == null ? null : tcp(r).getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        R r = result;
        return r == null ? null : tcp(r).getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public String toString() {
        R r = result;
        return getClass().getSimpleName() + "[" + (r == null ? "unconnected" : socket(r).toString()) + "]";
    }
}
