package io.github.oauth2mail.it.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.oauth2mail.it.support.ConnectorFixture;
import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.SampleAppClient;
import io.github.oauth2mail.it.support.SampleAppClient.Reply;
import java.time.Duration;
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
 * Issue #6 on Payara Micro: readiness of the connector through Payara's own MicroProfile Health endpoint
 * ({@code /health/ready}, on by default) with the health WAR deployed next to the unchanged sample app. The connector
 * is configured by {@code server-config/payara/post-boot-connector.asadmin} as checked in. One Payara for the class;
 * the tests run in order (the connector's state carries over).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthOnPayaraIT {

    private static final ObjectName MBEAN = RemoteJmx.connector(ConnectorFixture.CONFIG_NAME);

    private static RemoteJmx jmx;
    private static ConnectorFixture fixture;
    private static SampleAppClient app;
    private static HealthEndpoint health;

    @BeforeAll
    static void start() throws Exception {
        jmx = new RemoteJmx();
        ConnectorFixture.Builder b = ConnectorFixture.builder("ops-health")
                .deploy(Layout.dist().resolve("oauth2-mail-health.war"));
        jmx.jvmOptions().forEach(b::systemProperty);
        fixture = b.start();
        System.out.println("Payara Micro ready in " + fixture.payara().startupMillis() + " ms (connector + health)");
        app = fixture.app();
        health = new HealthEndpoint(fixture.payara().httpPort());
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
    void ready_beforeFirstUse_upWithNoConnectorRegistered() {
        HealthEndpoint.Answer a = health.ready();

        // the connector MBean is registered when the resource is first used (a send or an inbox read), not at deploy
        assertThat(a.http()).as(a.toString()).isEqualTo(200);
        assertThat(a.status()).isEqualTo("UP");
        assertThat(a.connectorCheck()).as("the health WAR's check is part of Payara's /health/ready: " + a).isNotNull();
        assertThat(a.data("connectors")).isEqualTo("0");
        assertThat(fixture.issuer().requestCount()).as("readiness fetched no token").isZero();
    }

    @Test
    @Order(2)
    void ready_afterOneSendWithWorkingIssuer_up() {
        Reply sent = app.send("someone@example.org", "health up", "one send registers the MBean");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);

        HealthEndpoint.Answer a = health.ready();

        assertThat(a.http()).as(a.toString()).isEqualTo(200);
        assertThat(a.status()).isEqualTo("UP");
        assertThat(a.connectorCheck().path("status").asText()).isEqualTo("UP");
        assertThat(a.data("connectors")).isEqualTo("1");
        assertThat(a.data(ConnectorFixture.CONFIG_NAME)).isEqualTo("UP");
        assertThat(a.data(ConnectorFixture.CONFIG_NAME + ".data")).contains("tokenExpiresAt=");
    }

    @Test
    @Order(3)
    void ready_issuerAnswersInvalidClientAfterTheMailServerRejectsTheToken_downWithTheErrorCode() {
        fixture.issuer().rejectClients(true); // e.g. the app's secret was deleted in the tenant
        fixture.issuer().revoke();            // and the mail server no longer takes the token the connector holds
        int requestsBefore = fixture.issuer().requestCount();

        // new logins need a token: the inbox read (a fresh IMAP login) and parallel sends (new SMTP connections) get
        // 535/NO -> the connector invalidates the token -> a fresh fetch -> 401 invalid_client (permanent)
        List<CompletableFuture<Reply>> sends = IntStream.range(0, 3).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> app.send("someone@example.org", "health down " + i, "fails"))).toList();
        Reply inbox = app.inbox();
        sends.forEach(CompletableFuture::join);
        assertThat(inbox.status()).as(inbox.body()).isGreaterThanOrEqualTo(500);

        HealthEndpoint.Answer down = await("readiness DOWN").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).until(health::ready, a -> a.http() == 503);
        System.out.println("DOWN: " + down);
        assertThat(down.status()).isEqualTo("DOWN");
        assertThat(down.connectorCheck().path("status").asText()).isEqualTo("DOWN");
        assertThat(down.data(ConnectorFixture.CONFIG_NAME)).startsWith("DOWN: OAM430").contains("invalid_client");
        assertThat(down.data(ConnectorFixture.CONFIG_NAME + ".data")).contains("lastTokenErrorCode=invalid_client");
        assertThat(fixture.issuer().requestCount() - requestsBefore)
                .as("one fetch after the invalidation (at most one more for a second rejection)").isBetween(1, 2);
    }

    @Test
    @Order(4)
    void ready_issuerRecovered_healthWarAloneWaitsOutThePermanentBackoff_retryTokenMakesItUp() throws Exception {
        fixture.issuer().rejectClients(false);
        int requestsBefore = fixture.issuer().requestCount();

        // the health WAR runs check() for a DOWN connector; after a permanent error the connector makes no token
        // request for 5 minutes (no storm against a tenant that rejects the app), so readiness stays DOWN meanwhile
        for (int i = 0; i < 3; i++) {
            HealthEndpoint.Answer a = health.ready();
            assertThat(a.http()).as(a.toString()).isEqualTo(503);
            assertThat(a.data(ConnectorFixture.CONFIG_NAME)).contains("invalid_client");
        }
        assertThat(fixture.issuer().requestCount()).as("readiness polls made no token request")
                .isEqualTo(requestsBefore);
        assertThat((String) jmx.attribute(MBEAN, "HealthStatus")).isEqualTo("DOWN");
        assertThat((String) jmx.attribute(MBEAN, "LastErrorCode")).isEqualTo("invalid_client");

        // the operator's action after fixing the cause (docs/operations.md): MBean operation retryToken()
        long t0 = System.nanoTime();
        String result = (String) jmx.invoke(MBEAN, "retryToken");
        assertThat(result).startsWith("UP");
        HealthEndpoint.Answer up = await("readiness UP").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(health::ready, a -> a.http() == 200);
        System.out.println("UP again " + Duration.ofNanos(System.nanoTime() - t0).toMillis()
                + " ms after retryToken(): " + up);
        assertThat(up.status()).isEqualTo("UP");
        assertThat(up.data(ConnectorFixture.CONFIG_NAME)).isEqualTo("UP");
        assertThat(fixture.issuer().requestCount() - requestsBefore).as("one token request").isEqualTo(1);

        Reply sent = app.send("someone@example.org", "health recovered", "delivered again");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(fixture.mail().received()).anyMatch(m -> subject(m).equals("health recovered"));
    }

    private static String subject(jakarta.mail.internet.MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
