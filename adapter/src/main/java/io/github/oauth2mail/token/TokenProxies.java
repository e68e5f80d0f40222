package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Which proxy token requests take, for the diagnostic and for messages; and whether the JVM lets HttpClient send
 * Basic proxy credentials on a {@code CONNECT} (its {@code jdk.http.auth.tunneling.disabledSchemes} setting, which
 * lists {@code Basic} in the JDK's {@code conf/net.properties} by default). Never shows a credential.
 */
public final class TokenProxies {

    static final String TUNNELING_DISABLED = "jdk.http.auth.tunneling.disabledSchemes";

    private TokenProxies() {
    }

    /**
     * The proxy token requests of {@code s} use, e.g. {@code proxy.corp:3128 (proxy-host, with proxy-user svc)} or
     * {@code JVM default: DIRECT}. A managed identity endpoint is never proxied.
     */
    public static String describe(ConnectorSettings s) {
        if (s.credential() == ConnectorSettings.Credential.MANAGED_IDENTITY) {
            return "none: the managed identity endpoint is always reached directly (" + s.key(Setting.PROXY_HOST)
                    + " and the JVM's proxy settings are not used for it)";
        }
        if (s.tokenProxy().isPresent()) {
            ConnectorSettings.TokenProxy p = s.tokenProxy().get();
            String auth = p.user() == null ? "without credentials" : "with " + s.key(Setting.PROXY_USER) + " " + p.user()
                    + (basicAllowedForTunnels() ? "" : "; WARNING: this JVM does not send Basic credentials on CONNECT: "
                    + "start it with -D" + TUNNELING_DISABLED + "=\"\"");
            return p.address() + " (" + s.key(Setting.PROXY_HOST) + ", " + auth + ")";
        }
        ProxySelector jvm = ProxySelector.getDefault();
        if (jvm == null) {
            return "JVM default: none (no ProxySelector)";
        }
        URI target = URI.create(s.tokenEndpoint().map(URI::toString).orElse(s.authorityBase()));
        List<Proxy> chosen = jvm.select(target);
        return "JVM default for " + target.getHost() + ": " + (chosen == null || chosen.isEmpty() ? "DIRECT"
                : chosen.stream().map(TokenProxies::show).collect(Collectors.joining(", ")));
    }

    private static String show(Proxy p) {
        return p.type() == Proxy.Type.DIRECT ? "DIRECT" : p.type() + " " + p.address();
    }

    /**
     * True when this JVM's HttpClient sends Basic credentials on {@code CONNECT}: the system property
     * {@value #TUNNELING_DISABLED} if set, otherwise the JDK's {@code conf/net.properties}, does not list Basic.
     */
    public static boolean basicAllowedForTunnels() {
        return !listsBasic(disabledSchemes());
    }

    static boolean listsBasic(String schemes) {
        return schemes != null && Arrays.stream(schemes.split(","))
                .anyMatch(x -> "basic".equals(x.trim().toLowerCase(Locale.ROOT)));
    }

    private static String disabledSchemes() {
        String v = System.getProperty(TUNNELING_DISABLED);
        if (v != null) {
            return v;
        }
        Path file = Path.of(System.getProperty("java.home"), "conf", "net.properties");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        return p.getProperty(TUNNELING_DISABLED);
    }

    /** The typed failure for a proxy's 407: names the proxy keys and, when it applies, the JVM option. */
    static TokenException rejected(SourceContext ctx, JdkHttpSender.ProxyRefused e) {
        StringBuilder why = new StringBuilder();
        if (e.proxy() == null) {
            why.append("the JVM's proxy (https.proxyHost) asks for credentials: set ").append(ctx.key(Setting.PROXY_HOST))
                    .append(", ").append(ctx.key(Setting.PROXY_PORT)).append(", ").append(ctx.key(Setting.PROXY_USER))
                    .append(" and ").append(ctx.key(Setting.PROXY_PASSWORD));
        } else if (!e.credentialsSent()) {
            why.append("proxy ").append(e.proxy().address()).append(" asks for credentials: set ")
                    .append(ctx.key(Setting.PROXY_USER)).append(" and ").append(ctx.key(Setting.PROXY_PASSWORD));
        } else if (!basicAllowedForTunnels()) {
            why.append("proxy ").append(e.proxy().address()).append(" got no credentials: this JVM does not send Basic ")
                    .append("proxy credentials when tunnelling HTTPS; start the server JVM with -D")
                    .append(TUNNELING_DISABLED).append("=\"\" (then check ").append(ctx.key(Setting.PROXY_USER))
                    .append(" and ").append(ctx.key(Setting.PROXY_PASSWORD)).append(')');
        } else {
            why.append("proxy ").append(e.proxy().address()).append(" refused the credentials: check ")
                    .append(ctx.key(Setting.PROXY_USER)).append(" and ").append(ctx.key(Setting.PROXY_PASSWORD));
        }
        return new TokenException(MessageId.TOKEN_PROXY_REJECTED, TokenException.Kind.PERMANENT,
                "Connector resource '" + ctx.resource() + "' got no access token from " + ctx.describe()
                + ": HTTP 407 Proxy Authentication Required; " + why, "proxy_407", null, null, e);
    }
}
