package io.github.oauth2mail.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * An SMTP server (STARTTLS, XOAUTH2) that enforces Exchange Online's per-mailbox concurrency limit across all its
 * clients, as every node of a cluster sees it: while a mailbox has more than {@code limit} authenticated sessions
 * open (idle ones included), every MAIL FROM of that mailbox gets {@code 432 4.3.2 STOREDRV.ClientSubmit; sender
 * thread limit exceeded}. Counts deliveries per {@code Message-ID} (so duplicates show), the 432s, and the
 * most authenticated sessions a mailbox had open at once.
 */
public final class MailboxLimitSmtpServer implements AutoCloseable {

    public static final String THROTTLED = "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded";
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(\\S+)");

    private final ServerSocket server;
    private final SSLContext tls;
    private final int limit;
    private final Predicate<String> tokens;
    private final Map<String, LinkedHashSet<Object>> sessions = new HashMap<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger mailFroms = new AtomicInteger();
    private final AtomicInteger mailFromsOverLimit = new AtomicInteger();
    private final AtomicInteger maxSessions = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final long messageMillis;

    public MailboxLimitSmtpServer(SSLContext tls, int limit, Predicate<String> acceptedTokens) throws IOException {
        this(tls, limit, acceptedTokens, 0);
    }

    /**
     * @param messageMillis how long the server works on each message before it answers the final dot (a stand-in for
     *                      a real server's submission time, so the mailbox's sessions, not the CPU, limit throughput)
     */
    public MailboxLimitSmtpServer(SSLContext tls, int limit, Predicate<String> acceptedTokens, long messageMillis)
            throws IOException {
        this.messageMillis = messageMillis;
        this.tls = tls;
        this.limit = limit;
        this.tokens = acceptedTokens;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        Thread t = new Thread(this::acceptLoop, "limit-smtp-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Messages accepted (250 after the final dot), by Message-ID. */
    public Map<String, Integer> deliveries() {
        Map<String, Integer> m = new HashMap<>();
        deliveries.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public int delivered() {
        return deliveries.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Message-IDs accepted more than once. */
    public long duplicates() {
        return deliveries.values().stream().filter(n -> n.get() > 1).count();
    }

    /** How many MAIL FROMs were answered with {@code 432 4.3.2}. */
    public int throttledCount() {
        return throttled.get();
    }

    public int mailFromCount() {
        return mailFroms.get();
    }

    /** MAIL FROMs that arrived while the mailbox had more than {@code limit} authenticated sessions open. */
    public int mailFromsOverLimit() {
        return mailFromsOverLimit.get();
    }

    /** The most authenticated sessions one mailbox had open at once. */
    public int maxSessions() {
        return maxSessions.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true); // replies leave at once (no Nagle + delayed-ACK stall per reply)
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "limit-smtp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        Object session = new Object();
        String mailbox = null;
        try (Socket socket = s) {
            LineConnection c = new LineConnection(socket);
            c.send("220 limit.test ESMTP ready");
            boolean inTls = false;
            while (true) {
                String line = c.readLine();
                if (line == null) {
                    return;
                }
                String verb = verb(line);
                switch (verb) {
                    case "EHLO":
                        c.send("250-limit.test\r\n250-PIPELINING\r\n" + (inTls ? "" : "250-STARTTLS\r\n")
                                + "250 AUTH XOAUTH2");
                        break;
                    case "STARTTLS":
                        c.send("220 2.0.0 Ready to start TLS");
                        c = LineConnection.serverTls(socket, tls, 0);
                        inTls = true;
                        break;
                    case "AUTH":
                        mailbox = auth(c, line, session, inTls);
                        break;
                    case "MAIL":
                        mailFrom(c, mailbox);
                        break;
                    case "DATA":
                        c.send("354 Start mail input; end with <CRLF>.<CRLF>");
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
            // client went away
        } finally {
            if (mailbox != null) {
                synchronized (sessions) {
                    sessions.get(mailbox).remove(session);
                }
            }
        }
    }

    private String auth(LineConnection c, String line, Object session, boolean inTls) throws IOException {
        String[] parts = line.split(" ");
        String decoded = parts.length > 2 && inTls
                ? new String(Base64.getDecoder().decode(parts[2]), StandardCharsets.UTF_8) : "";
        String token = LineConnection.bearerToken("XOAUTH2", decoded);
        if (token == null || !tokens.test(token)) {
            c.send("535 5.7.3 Authentication unsuccessful");
            return null;
        }
        String mailbox = decoded.substring(5, decoded.indexOf('\u0001')).toLowerCase(Locale.ROOT);
        synchronized (sessions) {
            Set<Object> set = sessions.computeIfAbsent(mailbox, m -> new LinkedHashSet<>());
            set.add(session);
            maxSessions.accumulateAndGet(set.size(), Math::max);
        }
        c.send("235 2.7.0 Authentication successful");
        return mailbox;
    }

    private void mailFrom(LineConnection c, String mailbox) throws IOException {
        if (mailbox == null) {
            c.send("530 5.7.57 Client not authenticated");
            return;
        }
        mailFroms.incrementAndGet();
        boolean allowed;
        synchronized (sessions) {
            allowed = sessions.get(mailbox).size() <= limit;
        }
        if (!allowed) {
            mailFromsOverLimit.incrementAndGet();
        }
        if (allowed) {
            c.send("250 2.1.0 Sender OK");
        } else {
            throttled.incrementAndGet();
            c.send(THROTTLED);
        }
    }

    private boolean data(LineConnection c) throws IOException {
        String body = c.readMessage();
        if (body == null) {
            return false;
        }
        Matcher m = MESSAGE_ID.matcher(body);
        String id = m.find() ? m.group(1) : "<none-" + System.nanoTime() + ">";
        if (messageMillis > 0) {
            try {
                Thread.sleep(messageMillis); // the server's own work on the message, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        c.send("250 2.0.0 OK queued");
        return true;
    }

    private static String verb(String line) {
        int sp = line.indexOf(' ');
        return (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
