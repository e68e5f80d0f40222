package io.github.oauth2mail.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An application server running the connector and the benchmark WAR for an in-server row ({@link PayaraBench},
 * {@link WildFlyBench}, {@link LibertyBench}); {@link #close} stops it and every process it started.
 */
interface BenchServer extends AutoCloseable {

    /** The benchmark WAR's base URL ({@code http://127.0.0.1:<port>/bench}). */
    String url();

    /** Pid of the process this JVM started (a launcher script for WildFly and Liberty, the server JVM is its child). */
    long pid();

    @Override
    void close();

    /**
     * The connector's settings for the resource named {@code demo} as MicroProfile Config environment variables (as
     * the integration tests set them): the sink on 127.0.0.1 with STARTTLS, the benchmark's HTTPS token issuer (generic
     * OAuth2, client credentials), {@code max-connections-per-mailbox} = the largest thread count, the benchmark
     * certificate as the connector's own trust store.
     */
    static Map<String, String> connectorEnv(Path certs, int smtpPort, String tokenEndpoint, int maxThreads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OAUTH2MAIL_DEMO_PROVIDER", "oauth2");
        env.put("OAUTH2MAIL_DEMO_GRANT_TYPE", "client_credentials");
        env.put("OAUTH2MAIL_DEMO_SMTP_HOST", "127.0.0.1");
        putConnectorSettings(env, certs, smtpPort, tokenEndpoint, maxThreads);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    /**
     * The settings {@link #connectorEnv} and {@link PayaraBench} both give (Payara's post-boot file sets the provider,
     * the grant type and the host itself): the token issuer and client, the mailbox, the sink's port with STARTTLS,
     * {@code max-connections-per-mailbox}, the timeouts and the trust store.
     */
    static void putConnectorSettings(Map<String, String> env, Path certs, int smtpPort, String tokenEndpoint,
                                     int maxThreads) {
        env.put("OAUTH2MAIL_DEMO_TOKEN_ENDPOINT", tokenEndpoint);
        env.put("OAUTH2MAIL_DEMO_CLIENT_ID", "bench-client");
        env.put("OAUTH2MAIL_DEMO_CLIENT_SECRET", "bench-secret");
        env.put("OAUTH2MAIL_DEMO_SCOPE", "https://mail.example.com/.default");
        env.put("OAUTH2MAIL_DEMO_MAILBOX", Workload.FROM);
        env.put("OAUTH2MAIL_DEMO_SMTP_PORT", String.valueOf(smtpPort));
        env.put("OAUTH2MAIL_DEMO_SMTP_TLS", "starttls");
        env.put("OAUTH2MAIL_DEMO_MAX_CONNECTIONS_PER_MAILBOX", String.valueOf(maxThreads));
        env.put("OAUTH2MAIL_DEMO_CONNECT_TIMEOUT_MS", "10000");
        env.put("OAUTH2MAIL_DEMO_READ_TIMEOUT_MS", "60000");
        env.put("OAUTH2MAIL_DEMO_TRUST_STORE_PATH", certs.resolve("trust.p12").toString());
        env.put("OAUTH2MAIL_DEMO_TRUST_STORE_PASSWORD", Certs.PASSWORD);
    }

    /**
     * The server JVM's options: Payara's heap, the default JIT; with {@code jfr} a recording written at exit; with
     * {@code streamProvider} the system property naming Jakarta Mail's stream provider (the diagnostic of
     * {@link PayaraBench}, not a checked-in setting: BENCHMARKS.md, "In-server speed").
     */
    static String jvmOptions(Path work, String name, boolean jfr, boolean streamProvider) {
        return "-Xms512m -Xmx1g -Djava.net.preferIPv4Stack=true" + (jfr
                ? " -XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + work.resolve(name + ".jfr")
                : "") + (streamProvider
                ? " -D" + PayaraBench.STREAM_PROVIDER_PROPERTY + "=" + PayaraBench.ANGUS_STREAM_PROVIDER : "");
    }
}
