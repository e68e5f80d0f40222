package io.github.oauth2mail.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A wall-clock sampler (JFR's execution samples see only threads on CPU; this also sees waiting in socket reads and
 * locks): one sending thread, its stack sampled every millisecond; prints the share of samples under each frame
 * (inclusive) of interest and the most frequent top frames.
 */
final class WallProfile {

    private static final String[] FRAMES = {
        "jakarta.mail.Transport.send",
        "jakarta.mail.Session.getTransport",
        "jakarta.mail.Service.connect",
        "jakarta.mail.Service.close",
        "io.github.oauth2mail.jca.PooledMailConnector.lease",
        "io.github.oauth2mail.transport.SmtpConnection.send",
        "io.github.oauth2mail.transport.Envelope.mailAndRcpt",
        "io.github.oauth2mail.transport.MessageData.write",
        "jakarta.mail.internet.MimeMessage.writeTo",
        "jakarta.mail.util.StreamProvider.provider",
        "io.github.oauth2mail.transport.SmtpWire.readReply",
        "sun.nio.ch.FileDispatcherImpl.write0",
        "sun.nio.ch.Net.poll",
    };

    private WallProfile() {
    }

    static void run(Senders.Kind kind, Senders.Target target, int seconds, String label) throws Exception {
        try (Workload.Path path = Senders.path(kind, target)) {
            Workload.Sender s = path.newSender();
            long end = System.nanoTime() + (seconds + 6) * 1_000_000_000L;
            long[] sent = new long[1];
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        s.send();
                        sent[0]++;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "send-wall");
            t.start();
            Thread.sleep(6000); // JIT warm-up of this path
            Map<String, Integer> incl = new HashMap<>();
            Map<String, Integer> top = new HashMap<>();
            int n = 0;
            long sentBefore = sent[0];
            long stop = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < stop) {
                StackTraceElement[] st = t.getStackTrace();
                if (st.length > 0) {
                    n++;
                    top.merge(st[0].getClassName() + "." + st[0].getMethodName(), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (StackTraceElement e : st) {
                        String m = e.getClassName() + "." + e.getMethodName();
                        if (seen.add(m)) {
                            incl.merge(m, 1, Integer::sum);
                        }
                    }
                }
                Thread.sleep(1);
            }
            long msgs = sent[0] - sentBefore;
            t.join();
            s.close();
            int total = n;
            System.out.println(String.format(Locale.ROOT, "WALL\t%s\t%s\t%d samples, %.0f msg/s while sampling", label,
                    kind, n, msgs / (double) seconds));
            for (String m : FRAMES) {
                System.out.println(String.format(Locale.ROOT, "WALL\t%s\t%s\tincl\t%5.1f%%\t%s", label, kind,
                        100.0 * incl.getOrDefault(m, 0) / Math.max(1, total), m));
            }
            top.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(4)
                    .forEach(e -> System.out.println(String.format(Locale.ROOT, "WALL\t%s\t%s\ttop\t%5.1f%%\t%s", label,
                            kind, 100.0 * e.getValue() / total, e.getKey())));
        }
    }
}
