package io.github.oauth2mail.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording ("profile" settings) of the connector path under load, summarised from the sending threads'
 * samples: Java execution samples (on CPU) and native samples (blocked in socket reads), the hottest frames by self
 * time, and the share of samples under selected frames (inclusive).
 */
final class Profile {

    private static final String[] INCLUSIVE = {
        "jakarta.mail.Transport.send",
        "jakarta.mail.internet.MimeMessage.saveChanges",
        "jakarta.mail.Session.getTransport",
        "jakarta.mail.Service.connect",
        "jakarta.mail.Service.close",
        "jakarta.mail.util.StreamProvider.provider",
        "io.github.oauth2mail.jca.SmtpManagedConnection.send",
        "io.github.oauth2mail.transport.OAuth2SmtpTransport.protocolConnect",
        "io.github.oauth2mail.jca.PooledMailConnector.lease",
        "io.github.oauth2mail.jca.DefaultConnectionManager.allocateConnection",
        "io.github.oauth2mail.transport.OAuth2SmtpTransport.sendMessage",
        "io.github.oauth2mail.transport.OAuth2SmtpTransport.close",
        "io.github.oauth2mail.transport.SmtpConnection.send",
        "io.github.oauth2mail.transport.Envelope.mailAndRcpt",
        "io.github.oauth2mail.transport.MessageData.write",
        "jakarta.mail.internet.MimeMessage.writeTo",
        "io.github.oauth2mail.transport.SmtpWire.readReply",
        "sun.security.ssl.SSLSocketImpl$AppOutputStream.write",
        "sun.security.ssl.SSLSocketImpl$AppInputStream.read",
        "java.util.concurrent.CompletableFuture.runAsync",
    };

    private Profile() {
    }

    static void run(Senders.Kind kind, Senders.Target target, int threads, int seconds, Path file) throws Exception {
        long msgs;
        try (Workload.Path path = Senders.path(kind, target)) {
            // warm-up (JIT) without recording
            Measure.run(path, threads, 8, 1, 1, 0);
            try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
                r.start();
                Measure.Result res = Measure.run(path, threads, 0, 1, seconds, 0);
                r.stop();
                r.dump(file);
                msgs = res.latencies.length;
                System.out.println(String.format(Locale.ROOT, "PROFILE\t%s\trate\t%.1f msg/s while recording (%s, %d "
                        + "threads), client CPU %.2f cores = %.0f µs per message", kind, res.median(),
                        target.tls() ? "tls" : "plain", threads, res.clientCpu, res.clientCpu * seconds * 1e6 / msgs));
            }
        }
        summarise(kind, file, msgs);
    }

    static void summarise(Senders.Kind kind, Path file, long msgs) throws Exception {
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> incl = new HashMap<>();
        int java = 0;
        int nativeSamples = 0;
        Map<String, Integer> nativeTop = new HashMap<>();
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            boolean exec = type.equals("jdk.ExecutionSample");
            boolean nat = type.equals("jdk.NativeMethodSample");
            if (!exec && !nat || e.getStackTrace() == null) {
                continue;
            }
            String thread = e.getThread("sampledThread") != null ? e.getThread("sampledThread").getJavaName() : "";
            if (thread == null || !thread.startsWith("send-")) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            if (nat) {
                nativeSamples++;
                nativeTop.merge(frameName(frames.get(0)), 1, Integer::sum);
                continue;
            }
            java++;
            self.merge(frameName(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String m = frameName(f);
                if (seen.add(m)) {
                    incl.merge(m, 1, Integer::sum);
                }
            }
        }
        System.out.println(String.format(Locale.ROOT, "PROFILE\t" + kind + "\tsamples\t%d on-CPU (jdk.ExecutionSample), %d in native "
                + "methods (jdk.NativeMethodSample), sending threads only; %.1f on-CPU samples per 1000 messages", java,
                nativeSamples, java * 1000.0 / msgs));
        int j = java;
        self.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(15).forEach(en ->
                System.out.println(String.format(Locale.ROOT, "PROFILE\t" + kind + "\tself\t%5.1f%%\t%s", 100.0 * en.getValue() / j,
                        en.getKey())));
        for (String m : INCLUSIVE) {
            System.out.println(String.format(Locale.ROOT, "PROFILE\t%s\tinclusive\t%5.1f%%\t%.1f samples/1000 msg\t%s",
                    kind, 100.0 * incl.getOrDefault(m, 0) / Math.max(1, j), incl.getOrDefault(m, 0) * 1000.0 / msgs, m));
        }
        int nn = nativeSamples;
        nativeTop.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(5).forEach(en ->
                System.out.println(String.format(Locale.ROOT, "PROFILE\t" + kind + "\tnative\t%5.1f%%\t%s",
                        100.0 * en.getValue() / Math.max(1, nn), en.getKey())));
        Set<String> adapterTop = self.keySet().stream().filter(k -> k.startsWith("io.github.oauth2mail"))
                .collect(Collectors.toSet());
        int adapterSelf = adapterTop.stream().mapToInt(self::get).sum();
        System.out.println(String.format(Locale.ROOT, "PROFILE\t" + kind + "\tadapter-self\t%5.1f%%\tself time in io.github.oauth2mail.*",
                100.0 * adapterSelf / Math.max(1, j)));
    }

    private static String frameName(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
