package io.github.oauth2mail.it.payara;

import io.github.oauth2mail.it.support.DocBlocks;
import io.github.oauth2mail.it.support.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The docs' Payara Server blocks that {@link PayaraServerDomainIT} runs as written ({@code bash -eu} in an empty
 * folder), and the placeholders they read: docs/servers.md's, docs/migrating.md's {@code MAIL_*} and {@code ASADMIN}
 * (the domain's {@code bin/asadmin}). The doc tests check that the blocks read nothing else.
 */
public final class PayaraServerBlocks {

    /** docs/payara.md's block that runs {@code payara-server-domain.sh} and deploys the app. */
    public static final String DOMAIN = "payara-server-domain";
    /** docs/migrating.md's blocks on the running domain, in the order the IT runs them. */
    public static final List<String> RUNNING = List.of("payara-both", "payara-switch-back", "payara-switch-running");
    /** Every variable a block may read. */
    public static final List<String> PLACEHOLDERS = List.of("SERVER_CONFIG", "OAUTH2MAIL_RAR", "APP_WAR", "ASADMIN",
            "TOKEN_ENDPOINT", "CLIENT_ID", "CLIENT_SECRET", "SCOPE", "MAILBOX", "SMTP_HOST", "SMTP_PORT", "IMAP_HOST",
            "IMAP_PORT", "MAIL_HOST", "MAIL_USER", "MAIL_PASSWORD", "MAIL_SMTPS_PORT", "MAIL_IMAPS_PORT");

    private PayaraServerBlocks() {
    }

    public static Path payaraDoc() {
        return DocBlocks.doc("payara.md");
    }

    public static Path migratingDoc() {
        return DocBlocks.doc("migrating.md");
    }

    /** The doc that holds {@code block}. */
    public static Path docOf(String block) {
        return block.equals(DOMAIN) ? payaraDoc() : migratingDoc();
    }

    /** The placeholders filled from the fixture's values ({@code values}: placeholder name to value). */
    public static Map<String, String> placeholders(Path asadmin, Map<String, String> values) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("SERVER_CONFIG", Path.of(System.getProperty("it.server.config", "../server-config")).toAbsolutePath()
                .normalize().toString());
        p.put("OAUTH2MAIL_RAR", Layout.adapterRar().toString());
        p.put("APP_WAR", Layout.sampleWar().toString());
        p.put("ASADMIN", asadmin.toString());
        for (String name : PLACEHOLDERS) {
            if (!p.containsKey(name)) {
                p.put(name, values.get(name));
            }
        }
        return p;
    }

    /** Runs the block as written, in {@code work/shell}; output in {@code work/<block>.log}. */
    static void run(String block, Path work, Map<String, String> env) throws IOException {
        Path shell = Files.createDirectories(work.resolve("shell"));
        Files.writeString(shell.resolve(block + ".sh"), DocBlocks.block(docOf(block), block));
        Commands.run(List.of("bash", "-eu", block + ".sh"), shell, env, work.resolve(block + ".log"),
                Duration.ofSeconds(300));
    }
}
