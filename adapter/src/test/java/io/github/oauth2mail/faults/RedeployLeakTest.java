package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Issue #8, scenario 15 at adapter level (the redeploy on a real server comes with the application-server suite):
 * ten connection factories created, used under light load and closed leave no thread, socket, MBean or reference.
 */
class RedeployLeakTest extends FaultTestSupport {

    @Test
    void createUseClose_10FactoriesUnderLightLoad_noThreadsSocketsMBeansOrReferencesLeft() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        // warm up once, so JDK-wide threads (e.g. the delay scheduler) exist before the baseline
        cycle(0, new ArrayList<>());
        awaitGc();
        int threadsBefore = Thread.activeCount();
        long socketsBefore = openSockets();
        int mbeansBefore = adapterMBeans();

        List<WeakReference<Object>> released = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            cycle(i, released);
        }
        factories.clear();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            System.gc();
            assertThat(threadNames()).as("refresher threads").noneMatch(n -> n.startsWith("oauth2mail-"));
            assertThat(released).as("factories and Sessions still reachable").allMatch(r -> r.get() == null);
            assertThat(openSockets()).as("open sockets (client and server side)").isLessThanOrEqualTo(socketsBefore);
            assertThat(Thread.activeCount()).as("threads").isLessThanOrEqualTo(threadsBefore + 2);
        });
        assertThat(adapterMBeans()).isEqualTo(mbeansBefore);
        assertThat(server.messages()).hasSize(11 * 10);
        assertThat(issuer.tokenRequests()).as("one token per resource start").isEqualTo(11);
    }

    /** One "deployment": a factory, two threads sending five messages each, close. */
    private void cycle(int n, List<WeakReference<Object>> released) throws Exception {
        OAuth2MailManagedConnectionFactory mcf = keys("redeploy" + n).factory();
        Session session = session(mcf);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> sends = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int thread = t;
            sends.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    Transport.send(message(session, ALICE, "deploy " + n + " t" + thread + " m" + i));
                }
                return null;
            }));
        }
        for (Future<?> f : sends) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threadNames()).anyMatch(name -> name.startsWith("oauth2mail-token-redeploy" + n + "-"));
        mcf.close();
        released.add(new WeakReference<>(mcf));
        released.add(new WeakReference<>(session));
    }

    private static void awaitGc() {
        WeakReference<Object> probe = new WeakReference<>(new Object());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return probe.get() == null;
        });
    }

    static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    /** Sockets this JVM has open (Linux: links in /proc/self/fd); -1 elsewhere. */
    static long openSockets() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    static int adapterMBeans() throws Exception {
        return ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("*:*"), null).stream()
                .filter(n -> n.toString().toLowerCase().contains("oauth2mail")).toList().size();
    }
}
