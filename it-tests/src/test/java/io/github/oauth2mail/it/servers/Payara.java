package io.github.oauth2mail.it.servers;

import io.github.oauth2mail.it.support.Layout;
import io.github.oauth2mail.it.support.PayaraMicro;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Payara Micro with the connector ({@code server-config/payara/post-boot-connector.asadmin}) and the sample app, as
 * the scenarios see an application server. The connector's keys come from the environment, as on the other servers.
 */
public final class Payara implements AppServer {

    private final PayaraMicro micro;

    private Payara(PayaraMicro micro) {
        this.micro = micro;
    }

    /** Starts Payara Micro; {@code logLevel} is the connector's logger level (e.g. {@code FINEST}). */
    public static Payara start(String name, Map<String, String> env, String logLevel) throws IOException {
        PayaraMicro.Builder b = PayaraMicro.builder(Layout.work(name))
                .postBootCommandFile(Layout.payaraConfig().resolve("post-boot-connector.asadmin"))
                .deploy(Layout.sampleWar())
                .env("OAUTH2MAIL_RAR", Layout.adapterRar().toString())
                .env("OAUTH2MAIL_LOG_LEVEL", logLevel);
        env.forEach(b::env);
        return new Payara(b.start());
    }

    /** A Payara Micro started another way (its own post-boot file), as the scenarios see an application server. */
    public static Payara of(PayaraMicro micro) {
        return new Payara(micro);
    }

    @Override
    public String description() {
        return "Payara Micro " + ServerLayout.version("it.payara.version") + " on Java " + Layout.serverJavaVersion();
    }

    @Override
    public URI sampleApp() {
        return micro.sampleApp();
    }

    @Override
    public String log() {
        return micro.log();
    }

    @Override
    public Path logLocation() {
        return micro.logFile();
    }

    @Override
    public long startupMillis() {
        return micro.startupMillis();
    }

    @Override
    public void close() {
        micro.close();
    }
}
