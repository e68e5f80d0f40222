package io.github.oauth2mail.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #6 on Payara Micro: the connector MBean {@code io.github.oauth2mail:type=Connector,name=demo} read from
 * outside the Payara JVM over JMX remote (the JDK agent, {@code com.sun.management.jmxremote.*} JVM options), with
 * counters checked against what the test did and what the token issuer and GreenMail saw.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JmxOnPayaraIT {

    private static final ObjectName MBEAN = RemoteJmx.connector(ConnectorFixture.CONFIG_NAME);

    private static RemoteJmx jmx;
    private static ConnectorFixture fixture;
    private static SampleAppClient app;

    @BeforeAll
    static void start() throws Exception {
        jmx = new RemoteJmx();
        ConnectorFixture.Builder b = ConnectorFixture.builder("ops-jmx");
        jmx.jvmOptions().forEach(b::systemProperty);
        fixture = b.start();
        System.out.println("Payara Micro ready in " + fixture.payara().startupMillis() + " ms (connector, JMX remote)");
        app = fixture.app();
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
    @Order(1)
    void mbean_beforeFirstUse_notRegistered() throws Exception {
        assertThat(jmx.connectors()).as("registered when the resource is first used").isEmpty();
    }

    @Test
    @Order(2)
    void mbean_afterFiveSends_countsMatchIssuerAndMailServer() throws Exception {
        for (int i = 0; i < 5; i++) {
            Reply r = app.send("someone@example.org", "jmx " + i, "counted");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }

        assertThat(jmx.connectors()).containsExactly(MBEAN);
        assertThat(jmx.attribute(MBEAN, "SendsSucceeded")).isEqualTo(5L);
        assertThat(jmx.attribute(MBEAN, "SendsFailed")).isEqualTo(0L);
        assertThat(jmx.attribute(MBEAN, "TokensAcquired")).isEqualTo(1L);
        assertThat(jmx.attribute(MBEAN, "TokensRefreshed")).isEqualTo(0L);
        assertThat(fixture.issuer().issuedCount()).isEqualTo(1);
        assertThat(fixture.mail().received()).hasSize(5);
        assertThat(jmx.attribute(MBEAN, "ConnectorName")).isEqualTo(ConnectorFixture.CONFIG_NAME);
        assertThat(jmx.attribute(MBEAN, "Mailbox")).isEqualTo(ConnectorFixture.MAILBOX);
        assertThat((String) jmx.attribute(MBEAN, "MailServer")).startsWith("127.0.0.1:" + fixture.mail().smtpsPort());
        assertThat(jmx.attribute(MBEAN, "ActiveCredential")).isEqualTo("client-secret");
        assertThat(jmx.attribute(MBEAN, "HealthStatus")).isEqualTo("UP");
        assertThat(jmx.attribute(MBEAN, "LastSuccess")).isInstanceOf(Date.class);
        assertThat(jmx.attribute(MBEAN, "TokenExpiry")).isInstanceOf(Date.class);
        assertThat((Integer) jmx.attribute(MBEAN, "ConnectionsOpen")).isBetween(1, 3);
        assertThat(jmx.attribute(MBEAN, "ConnectionsInUse")).isEqualTo(0);
        // sequential sends reuse one pooled connection
        assertThat(jmx.attribute(MBEAN, "ConnectionsCreated")).isEqualTo(1L);
    }

    @Test
    @Order(3)
    void mbean_afterRevocationInboxReadAndParallelSends_oneInvalidationOneRefreshAllCounted() throws Exception {
        fixture.issuer().revoke();
        // an inbox read logs in afresh (IMAP, XOAUTH2): rejected -> the token is invalidated, one new one fetched.
        // (Sends alone may all ride pooled SMTP connections that authenticated before the revocation.)
        Reply inbox = app.inbox();
        assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);

        List<CompletableFuture<Reply>> sends = IntStream.range(0, 3).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> app.send("someone@example.org", "jmx revoked " + i, "counted"))).toList();
        for (CompletableFuture<Reply> s : sends) {
            Reply r = s.join();
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }

        assertThat(jmx.attribute(MBEAN, "SendsSucceeded")).isEqualTo(8L);
        assertThat(jmx.attribute(MBEAN, "SendsFailed")).isEqualTo(0L);
        assertThat(fixture.issuer().issuedCount()).isEqualTo(2);
        assertThat(jmx.attribute(MBEAN, "TokensAcquired")).isEqualTo(1L);
        assertThat(jmx.attribute(MBEAN, "TokensRefreshed")).as("the one forced refresh").isEqualTo(1L);
        assertThat((Long) jmx.attribute(MBEAN, "TokenInvalidations")).isGreaterThanOrEqualTo(1L);
        assertThat(fixture.mail().received()).hasSize(8);
        System.out.println("after revocation: TokenInvalidations=" + jmx.attribute(MBEAN, "TokenInvalidations")
                + " ConnectionsCreated=" + jmx.attribute(MBEAN, "ConnectionsCreated") + " ConnectionsOpen="
                + jmx.attribute(MBEAN, "ConnectionsOpen"));
    }
}
