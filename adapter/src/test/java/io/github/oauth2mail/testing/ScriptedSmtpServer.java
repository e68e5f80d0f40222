package io.github.oauth2mail.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;

/**
 * A small in-process SMTP server for protocol tests: plain, implicit TLS or STARTTLS; XOAUTH2 and OAUTHBEARER with
 * the OAuth2 error challenge on a wrong token; a 1000-byte command line limit ({@code 500 5.5.2 Line too long});
 * scripted replies, connection drops and replies that never come. Records every line it receives.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    /** RFC 5321 4.5.3.1.4 text line limit, CRLF included. */
    public static final int MAX_LINE = 1000;
    private static final String ERROR_JSON = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://outlook.office365.com/.default\"}";

    private final ServerSocket server;
    private final SSLContext tls;
    private final boolean implicitTls;
    private volatile boolean offerStartTls;
    private volatile String mechanisms = "XOAUTH2 OAUTHBEARER";
    private volatile boolean pipelining = true;
    private volatile java.util.function.Predicate<String> acceptedTokens = t -> false;
    private volatile boolean recording = true;
    private volatile java.util.function.Consumer<String> onMessage = m -> { };
    private final Map<String, String> replies = new HashMap<>();
    private final Map<String, String> recipientReplies = new HashMap<>();
    private volatile String dropOn;
    private volatile String hangOn;
    private volatile boolean stallInData;
    private volatile long readRate;
    private volatile String lateReply;
    private final java.util.concurrent.atomic.AtomicInteger lateRepliesSent = new java.util.concurrent.atomic.AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> authResponses = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> arrivedWithMore = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<List<String>> transcripts = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxOpen = new java.util.concurrent.atomic.AtomicInteger();
    private final ThreadLocal<List<String>> transcript = ThreadLocal.withInitial(CopyOnWriteArrayList::new);

    private ScriptedSmtpServer(SSLContext tls, boolean implicitTls) throws IOException {
        this.tls = tls;
        this.implicitTls = implicitTls;
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.server = implicitTls ? tls.getServerSocketFactory().createServerSocket() : new ServerSocket();
        server.setReceiveBufferSize(4096);
        server.bind(new java.net.InetSocketAddress(lo, 0), 50);
        Thread t = new Thread(this::acceptLoop, "scripted-smtp-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Plain SMTP that offers STARTTLS with {@code tls}. */
    public static ScriptedSmtpServer startTls(SSLContext tls) throws IOException {
        ScriptedSmtpServer s = new ScriptedSmtpServer(tls, false);
        s.offerStartTls = true;
        return s;
    }

    /** Plain SMTP without STARTTLS. */
    public static ScriptedSmtpServer plain() throws IOException {
        return new ScriptedSmtpServer(null, false);
    }

    /** SMTPS (TLS from the first byte). */
    public static ScriptedSmtpServer implicitTls(SSLContext tls) throws IOException {
        return new ScriptedSmtpServer(tls, true);
    }

    public int port() {
        return server.getLocalPort();
    }

    public ScriptedSmtpServer acceptTokens(String... tokens) {
        Set<String> set = Set.of(tokens);
        acceptedTokens = set::contains;
        return this;
    }

    /** Accepts the tokens {@code test} accepts (e.g. only unexpired ones). */
    public ScriptedSmtpServer acceptTokens(java.util.function.Predicate<String> test) {
        acceptedTokens = test;
        return this;
    }

    /**
     * Soak mode: records nothing (no lines, transcripts or message bodies, so the server's memory stays flat) and
     * hands each message body to {@code consumer} instead.
     */
    public ScriptedSmtpServer countOnly(java.util.function.Consumer<String> consumer) {
        recording = false;
        onMessage = consumer;
        return this;
    }

    public ScriptedSmtpServer mechanisms(String m) {
        mechanisms = m;
        return this;
    }

    /** Whether EHLO offers PIPELINING (default true). */
    public ScriptedSmtpServer pipelining(boolean offer) {
        pipelining = offer;
        return this;
    }

    /** Command lines that arrived together with more input (the client did not wait for their reply). */
    public List<String> arrivedWithMore() {
        return List.copyOf(arrivedWithMore);
    }

    /** Answers commands with this verb ({@code MAIL}, {@code RCPT}, {@code DATA}, or {@code .} for the data end); null: default again. */
    public synchronized ScriptedSmtpServer reply(String verb, String reply) {
        if (reply == null) {
            replies.remove(verb);
            return this;
        }
        replies.put(verb, reply);
        return this;
    }

    /** Answers {@code RCPT TO:<address>} (only that recipient) with {@code reply}; null: default again. */
    public synchronized ScriptedSmtpServer replyToRecipient(String address, String reply) {
        if (reply == null) {
            recipientReplies.remove(address.toLowerCase(Locale.ROOT));
        } else {
            recipientReplies.put(address.toLowerCase(Locale.ROOT), reply);
        }
        return this;
    }

    /** Closes the connection, unanswered, when a command with this verb arrives. */
    public ScriptedSmtpServer dropOn(String verb) {
        dropOn = verb;
        return this;
    }

    /** After {@code 354}, stops reading (the client's writes then block once the socket buffers are full). */
    public ScriptedSmtpServer stallInData() {
        stallInData = true;
        return this;
    }

    /** Reads no faster than {@code bytesPerSecond} (a slow but steady reader, e.g. of a large message). */
    public ScriptedSmtpServer readRate(long bytesPerSecond) {
        readRate = bytesPerSecond;
        return this;
    }

    /**
     * After answering a message's final dot, sends {@code line} too, unsolicited, a moment later (from another thread,
     * as a server does that answers late); null: no more. {@link #lateRepliesSent()} counts them.
     */
    public ScriptedSmtpServer lateReplyAfterData(String line) {
        lateReply = line;
        return this;
    }

    public int lateRepliesSent() {
        return lateRepliesSent.get();
    }

    /** Never answers a command with this verb (until the server is closed). */
    public ScriptedSmtpServer hangOn(String verb) {
        hangOn = verb;
        return this;
    }

    /** Every command line received, as received (AUTH payloads included). */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Every decoded SASL client response (XOAUTH2 / OAUTHBEARER initial response). */
    public List<String> authResponses() {
        return List.copyOf(authResponses);
    }

    /** Every message body accepted or dropped after the final dot, with dot-stuffing undone. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return sockets.size();
    }

    /**
     * One transcript per connection, in accept order: every command line received, {@code AUTH-DECODED <response>}
     * for each decoded SASL response and {@code MESSAGE <body>} for each message after its final dot.
     */
    public List<List<String>> transcripts() {
        List<List<String>> l = new java.util.ArrayList<>();
        for (List<String> t : transcripts) {
            l.add(List.copyOf(t));
        }
        return l;
    }

    /**
     * The most client connections open at once. A scripted {@code 421} reply closes the connection, and the
     * connection stops counting before that reply is sent (so a client reconnecting on it is never counted twice).
     */
    public int maxConcurrentConnections() {
        return maxOpen.get();
    }

    /** Closes every client connection (a restart as clients see it), keeps listening. */
    public void dropConnections() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    public boolean receivedVerb(String verb) {
        return received.stream().anyMatch(l -> verb(l).equals(verb));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-smtp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        List<String> log = transcript.get();
        if (recording) {
            transcripts.add(log);
        }
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        boolean counted = true;
        try (Socket socket = s) {
            LineConnection c = new LineConnection(socket, readRate);
            c.send("220 scripted.test ESMTP ready");
            boolean inTls = implicitTls;
            while (true) {
                String line = c.readLine();
                if (line == null) {
                    return;
                }
                if (recording) {
                    received.add(line);
                    log.add(line);
                }
                if (recording && c.hasMore()) {
                    arrivedWithMore.add(line);
                }
                if (line.length() + 2 > MAX_LINE) {
                    c.send("500 5.5.2 Line too long");
                    continue;
                }
                String verb = verb(line);
                if (verb.equals(dropOn)) {
                    return;
                }
                if (verb.equals(hangOn)) {
                    closing.await();
                    return;
                }
                String scripted;
                synchronized (this) {
                    scripted = replies.get(verb);
                    if (scripted == null && verb.equals("RCPT")) {
                        scripted = recipientReplies.entrySet().stream()
                                .filter(r -> line.toLowerCase(Locale.ROOT).contains("<" + r.getKey() + ">"))
                                .map(Map.Entry::getValue).findFirst().orElse(null);
                    }
                }
                if (scripted != null) {
                    if (scripted.startsWith("421")) {
                        counted = false;
                        open.decrementAndGet();
                        c.send(scripted);
                        return;
                    }
                    c.send(scripted);
                    continue;
                }
                switch (verb) {
                    case "EHLO":
                        c.send("250-scripted.test\r\n" + (pipelining ? "250-PIPELINING\r\n" : "") + "250-SMTPUTF8\r\n"
                                + (offerStartTls && !inTls ? "250-STARTTLS\r\n" : "") + "250 AUTH " + mechanisms);
                        break;
                    case "STARTTLS":
                        c.send("220 2.0.0 Ready to start TLS");
                        c = LineConnection.serverTls(socket, tls, readRate);
                        inTls = true;
                        break;
                    case "AUTH":
                        auth(c, line);
                        break;
                    case "DATA":
                        c.send("354 Start mail input; end with <CRLF>.<CRLF>");
                        if (stallInData) {
                            closing.await();
                            return;
                        }
                        if (!data(c)) {
                            return;
                        }
                        break;
                    case "QUIT":
                        c.send("221 2.0.0 Bye");
                        return;
                    default:
                        c.send("250 2.0.0 OK");
                }
            }
        } catch (IOException e) {
            // the client went away or failed the TLS handshake: nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                open.decrementAndGet();
            }
        }
    }

    private boolean data(LineConnection c) throws IOException, InterruptedException {
        String body = c.readMessage();
        if (body == null) {
            return false;
        }
        onMessage.accept(body);
        if (recording) {
            messages.add(body);
            transcript.get().add("MESSAGE " + body);
        }
        if (".".equals(dropOn)) {
            return false;
        }
        if (".".equals(hangOn)) {
            closing.await();
            return false;
        }
        String scripted;
        synchronized (this) {
            scripted = replies.get(".");
        }
        c.send(scripted != null ? scripted : "250 2.0.0 OK queued");
        String late = lateReply;
        if (late != null) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(200); // pacing: the late line arrives after the client has its reply
                    c.send(late);
                    lateRepliesSent.incrementAndGet();
                } catch (IOException e) {
                    // client gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "scripted-smtp-late");
            t.setDaemon(true);
            t.start();
        }
        return true;
    }

    private void auth(LineConnection c, String line) throws IOException {
        String[] parts = line.split(" ");
        String mechanism = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        String b64;
        if (parts.length > 2) {
            b64 = parts[2];
        } else {
            c.send("334 ");
            b64 = c.readLine();
            if (b64 == null) {
                return;
            }
            if (recording) {
                received.add(b64);
            }
        }
        String decoded = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        if (recording) {
            authResponses.add(decoded);
            transcript.get().add("AUTH-DECODED " + decoded);
        }
        String token = LineConnection.bearerToken(mechanism, decoded);
        boolean wellFormed = token != null;
        if (wellFormed && acceptedTokens.test(token)) {
            c.send("235 2.7.0 Authentication successful");
            return;
        }
        c.send("334 " + Base64.getEncoder().encodeToString(ERROR_JSON.getBytes(StandardCharsets.UTF_8)));
        String ack = c.readLine();
        if (ack == null) {
            return;
        }
        if (recording) {
            received.add(ack);
        }
        c.send("535 5.7.3 Authentication unsuccessful");
    }

    private static String verb(String line) {
        if (line.equals(".")) {
            return ".";
        }
        int sp = line.indexOf(' ');
        String v = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        return v.equals("MAIL") || v.equals("RCPT") ? v : v.replaceAll("[^A-Z]", "");
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** One connection's line I/O. */
}
