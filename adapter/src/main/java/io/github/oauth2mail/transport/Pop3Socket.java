package io.github.oauth2mail.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The socket {@link Pop3SocketFactory} hands to the Jakarta Mail implementation's POP3 store: {@code connect} opens
 * and authenticates the connection with {@link Pop3Login} (or takes one already opened), and the store then talks
 * through a {@link Pop3Handover}, which answers its greeting and login itself. Everything else is delegated to the
 * (TLS) socket under it.
 */
final class Pop3Socket extends StoreSocket<Pop3Login.Result> {

    private volatile Pop3Handover handover;

    Pop3Socket(Login<Pop3Login.Result> login) {
        super(login);
    }

    @Override
    void attach(Pop3Login.Result r) throws IOException {
        handover = new Pop3Handover(r.channel, r.in, r.channel.socket().getOutputStream());
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
    Socket socket(Pop3Login.Result r) {
        return r.channel.socket();
    }

    @Override
    Socket tcp(Pop3Login.Result r) {
        return r.channel.rawSocket();
    }

    @Override
    boolean isClosed(Pop3Login.Result r) {
        return r.channel.isClosed();
    }

    @Override
    void discard(Pop3Login.Result r) {
        r.close();
    }

    @Override
    void release(Pop3Login.Result r) {
        r.channel.close();
    }
}
