package io.github.oauth2mail.config;

/**
 * The Microsoft cloud a tenant lives in ({@code cloud} key): the defaults of {@code authority}, the Entra
 * {@code scope}, {@code smtp.host}, {@code imap.host}, {@code pop3.host} and {@code graph-endpoint} (whose
 * {@code /.default} is the scope with {@code send-via=graph}). An explicitly configured key always wins
 * over the preset. Endpoints as Microsoft publishes them (see the README section "National clouds" for the sources).
 */
public enum Cloud implements ConnectorSettings.Choice {
    /** Microsoft's global (commercial) cloud, including GCC (which uses the global endpoints). */
    GLOBAL("https://login.microsoftonline.com/", "https://outlook.office365.com/.default",
            "smtp.office365.com", "outlook.office365.com", "https://graph.microsoft.com"),
    /** Microsoft 365 US Government GCC High. */
    USGOV("https://login.microsoftonline.us/", "https://outlook.office365.us/.default",
            "smtp.office365.us", "outlook.office365.us", "https://graph.microsoft.us"),
    /** Microsoft 365 US Government DoD. */
    USGOV_DOD("https://login.microsoftonline.us/", "https://outlook-dod.office365.us/.default",
            "outlook-dod.office365.us", "outlook-dod.office365.us", "https://dod-graph.microsoft.us"),
    /** Microsoft 365 operated by 21Vianet (China). */
    CHINA("https://login.chinacloudapi.cn/", "https://partner.outlook.cn/.default",
            "smtp.partner.outlook.cn", "partner.outlook.cn", "https://microsoftgraph.chinacloudapi.cn");

    private final String authority;
    private final String scope;
    private final String smtpHost;
    private final String storeHost;
    private final String graphEndpoint;

    Cloud(String authority, String scope, String smtpHost, String storeHost, String graphEndpoint) {
        this.authority = authority;
        this.scope = scope;
        this.smtpHost = smtpHost;
        this.storeHost = storeHost;
        this.graphEndpoint = graphEndpoint;
    }

    @Override
    public String configValue() {
        return this == USGOV_DOD ? "usgov-dod" : ConnectorSettings.Choice.super.configValue();
    }

    /** The Entra authority base URL, with a trailing slash. */
    public String authority() {
        return authority;
    }

    /** The default Entra scope for Exchange Online (SMTP, IMAP, POP3) in this cloud. */
    public String scope() {
        return scope;
    }

    public String smtpHost() {
        return smtpHost;
    }

    /** The Microsoft Graph base URL of this cloud ({@code send-via=graph}). */
    public String graphEndpoint() {
        return graphEndpoint;
    }

    /** The IMAP and POP3 host. */
    public String storeHost() {
        return storeHost;
    }

    /** This cloud's default for {@code s}, or null when the preset does not set {@code s}. */
    String presetFor(Setting s) {
        switch (s) {
            case AUTHORITY:
                return authority;
            case SMTP_HOST:
                return smtpHost;
            case IMAP_HOST:
            case POP3_HOST:
                return storeHost;
            case GRAPH_ENDPOINT:
                return graphEndpoint;
            default:
                return null;
        }
    }

    /** The cloud named by {@code value} (ignoring case), or {@link #GLOBAL} when it names none (reported elsewhere). */
    static Cloud parseOrGlobal(String value) {
        for (Cloud c : values()) {
            if (c.configValue().equalsIgnoreCase(value)) {
                return c;
            }
        }
        return GLOBAL;
    }
}
