package io.github.oauth2mail.it.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #8 scenario 15 on a running Payara Micro: the connector {@code .rar} (with its pool and resource, by the
 * checked-in post-boot commands) and the sample app are undeployed and deployed again 10 times while a background
 * client keeps sending through the app. After every undeploy: no {@code oauth2mail-*} thread, no connector MBean and no
 * established connection to the mail server is left in the Payara JVM. After the 10 cycles: mail is delivered, one
 * MBean, thread and connection counts as after the first cycle.
 *
 * <p>Payara Micro has no admin listener and no asadmin client, and its API runs commands only across a cluster; the
 * commands run through a test-only servlet ({@link io.github.oauth2mail.it.ops.control.AdminCommandServlet}) that
 * hands them to the server's own command runner, the one that runs post-boot files.
 */
class RedeployLeakIT {

    private static final int CYCLES = 10;
    private static final String APP = "sample-app";
    private static final String RAR = "oauth2-mail";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private static RemoteJmx jmx;
    private static ConnectorFixture fixture;
    private static SampleAppClient app;
    private static AdminCommands asadmin;
    private static ProcessProbe probe;

    @BeforeAll
    static void start() throws Exception {
        jmx = new RemoteJmx();
        ConnectorFixture.Builder b = ConnectorFixture.builder("ops-redeploy")
                .deploy(AdminCommands.buildControlWar(Layout.work("ops-redeploy").resolve("control")));
        jmx.jvmOptions().forEach(b::systemProperty);
        fixture = b.start();
        System.out.println("Payara Micro ready in " + fixture.payara().startupMillis() + " ms (connector, control)");
        app = fixture.app();
        asadmin = new AdminCommands(fixture.payara().httpPort());
        probe = new ProcessProbe(fixture.payara().pid(), jmx);
    }

    @AfterAll
    static void stop() {
        if (jmx != null) {
            jmx.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void redeployRarAndApp_10CyclesUnderLightLoad_noThreadsMBeansOrMailSocketsLeftAndMailDelivered() throws Exception {
        List<List<String>> connectorCommands = AdminCommands.postBootCommands(
                Layout.payaraConfig().resolve("post-boot-connector.asadmin"),
                Map.of("OAUTH2MAIL_RAR", Layout.adapterRar().toString()));
        int[] mailPorts = {fixture.mail().smtpsPort(), fixture.mail().imapsPort()};
        int issuerPort = fixture.issuer().endpoint().getPort();

        List<String> delivered = new ArrayList<>();
        sendTwoInParallel("cycle 0", delivered); // first use: the connector starts its threads, pool, MBean
        Snapshot first = snapshot(mailPorts, issuerPort);
        System.out.println("before the cycles: " + first);
        assertThat(first.mbeans).isEqualTo(1);

        AtomicInteger loadOk = new AtomicInteger();
        AtomicInteger loadFailed = new AtomicInteger();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "light-load");
            t.setDaemon(true);
            return t;
        });
        load.scheduleWithFixedDelay(() -> {
            try {
                Reply r = app.send("load@example.org", "load", "light load during redeploys");
                (r.ok() ? loadOk : loadFailed).incrementAndGet();
            } catch (RuntimeException e) {
                loadFailed.incrementAndGet();
            }
        }, 0, 300, TimeUnit.MILLISECONDS);

        List<Snapshot> afterUndeploy = new ArrayList<>();
        List<Snapshot> afterCycle = new ArrayList<>();
        Snapshot last = first;
        long t0 = System.nanoTime();
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                asadmin.run("undeploy", APP);
                asadmin.run("undeploy", "--cascade=true", RAR);

                await("cycle " + cycle + ": nothing of the connector left after undeploy").atMost(SETTLE)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> snapshot(mailPorts, issuerPort), s -> s.adapterThreads.isEmpty() && s.mbeans == 0
                                && s.mailSockets == 0);
                afterUndeploy.add(snapshot(mailPorts, issuerPort));

                for (List<String> c : connectorCommands) {
                    asadmin.run(c.get(0), c.subList(1, c.size()).toArray(String[]::new));
                }
                asadmin.run("deploy", "--name", APP, "--contextroot", APP, Layout.sampleWar().toString());

                sendTwoInParallel("cycle " + cycle, delivered);
                last = snapshot(mailPorts, issuerPort);
                afterCycle.add(last);
                System.out.println("cycle " + cycle + " after " + Duration.ofNanos(System.nanoTime() - t0).toSeconds()
                        + " s: " + last);
                assertThat(last.mbeans).as("one MBean per deployed resource").isEqualTo(1);
            }
        } finally {
            load.shutdownNow();
            load.awaitTermination(30, TimeUnit.SECONDS);
        }
        System.out.println("light load: " + loadOk + " sends delivered, " + loadFailed
                + " refused while the app or the connector was undeployed");
        System.out.println("after each undeploy: " + afterUndeploy);

        // mail still delivered, and read back over IMAP through the redeployed connector
        sendTwoInParallel("after the cycles", delivered);
        Reply inbox = app.inbox();
        assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
        List<String> subjects = fixture.mail().received().stream().map(RedeployLeakIT::subject).toList();
        assertThat(subjects).containsAll(delivered);
        // every send the app confirmed is in the mailbox; a send in flight while the app was being undeployed can be
        // delivered although its HTTP caller saw an error (seen once: 20 delivered, 19 confirmed)
        long loadDelivered = subjects.stream().filter("load"::equals).count();
        System.out.println("light load: " + loadDelivered + " in the mailbox");
        assertThat(loadDelivered).isBetween((long) loadOk.get(), (long) loadOk.get() + loadFailed.get());
        assertThat(loadOk.get()).as("the light load got through between redeploys").isPositive();

        // resources back to what one deployment holds. Reported, not asserted: the JVM's total thread count (Payara
        // grows its own pools in steps under load, seen: +24 threads once in cycle 5, then flat, which a per-cycle
        // bound cannot tell from a leak) and JDK HttpClient threads ("HttpClient-N-SelectorManager": one per token
        // HTTP client still reachable: one per runtime of the deployed .rar; a stopped runtime's sources let go of theirs;
        // last run: HttpClient-11 only, where HttpClient-10/11 stayed before that).
        Snapshot end = await("resources back to one deployment's").atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    probe.gc();
                    return snapshot(mailPorts, issuerPort);
                }, s -> s.mbeans == 1 && s.adapterThreads.size() <= Math.max(first.adapterThreads.size(), 2)
                        && s.mailSockets <= 3);
        System.out.println("end: " + end + ", HttpClient threads " + probe.threads("HttpClient-") + " (first: " + first
                + ")");
        System.out.println("live threads after each cycle: "
                + afterCycle.stream().map(x -> String.valueOf(x.liveThreads)).toList());

        // nothing of the undeployed adapters stays reachable. Once, one old adapter did (the first deployment's): the
        // JDK HttpClient's selector thread had inherited the deploying thread's context class loader; the token HTTP
        // client is now built with the platform loader as context loader (JdkHttpSenderTest).
        // When one stays, the failure names what holds it: the reference chain from its GC root, from a heap dump.
        String adapterClass = "io.github.oauth2mail.jca.OAuth2MailResourceAdapter";
        try {
            await("no old resource adapter alive").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3))
                    .until(() -> {
                        probe.gc();
                        return probe.liveInstances(adapterClass) == 1;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> paths = probe.pathsToRoots(adapterClass, Layout.work("ops-redeploy"));
            throw new AssertionError("resource adapters alive after " + CYCLES + " redeploys: " + paths.size()
                    + "; what holds each:\n" + String.join("\n", paths), e);
        }
        long adapters = probe.liveInstances("io.github.oauth2mail.jca.OAuth2MailResourceAdapter");
        long factories = probe.liveInstances("io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory");
        System.out.println("after a full GC: resource adapter instances " + adapters + ", managed connection factories "
                + factories + ", classes loaded " + probe.loadedClasses() + ", unloaded " + probe.unloadedClasses());
        assertThat(adapters).as("resource adapters alive after " + CYCLES + " redeploys").isEqualTo(1L);
        assertThat(factories).as("managed connection factories alive after " + CYCLES + " redeploys (the deployed .rar's)")
                .isLessThanOrEqualTo(2);
        Map<String, Integer> loaders = probe.classLoaderCensus();
        System.out.println("class loaders alive after the cycles: " + loaders);
        assertThat(loaders.getOrDefault("com.sun.appserv.connectors.internal.api.ConnectorClassFinder", 0))
                .as("class loaders of the .rar (jcmd VM.classloaders): the deployed one only").isEqualTo(1);
        assertThat(loaders.getOrDefault("org.glassfish.web.loader.WebappClassLoader", 0))
                .as("web app class loaders: sample-app and ops-control only").isLessThanOrEqualTo(2);
    }

    private static void sendTwoInParallel(String label, List<String> delivered) {
        List<CompletableFuture<Reply>> sends = List.of(
                CompletableFuture.supplyAsync(() -> app.send("someone@example.org", label + " a", "redeploy")),
                CompletableFuture.supplyAsync(() -> app.send("someone@example.org", label + " b", "redeploy")));
        for (CompletableFuture<Reply> s : sends) {
            Reply r = s.join();
            assertThat(r.status()).as(label + ": " + r.body()).isEqualTo(200);
        }
        delivered.add(label + " a");
        delivered.add(label + " b");
    }

    private static Snapshot snapshot(int[] mailPorts, int issuerPort) throws Exception {
        return new Snapshot(probe.threads("oauth2mail"),
                jmx.connection().queryNames(new ObjectName("io.github.oauth2mail:*"), null).size(),
                probe.establishedTo(mailPorts), probe.establishedTo(issuerPort), probe.liveThreads(),
                probe.loadedClasses());
    }

    private static String subject(jakarta.mail.internet.MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the Payara JVM holds at one moment. */
    private record Snapshot(List<String> adapterThreads, int mbeans, int mailSockets, int issuerSockets,
            int liveThreads, int loadedClasses) {
        @Override
        public String toString() {
            return "oauth2mail threads " + adapterThreads + ", MBeans " + mbeans + ", connections to the mail server "
                    + mailSockets + ", to the token issuer " + issuerSockets + ", live threads " + liveThreads
                    + ", loaded classes " + loadedClasses;
        }
    }
}
