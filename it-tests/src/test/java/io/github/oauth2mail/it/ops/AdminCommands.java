package io.github.oauth2mail.it.ops;

import io.github.oauth2mail.it.ops.control.AdminCommandServlet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * asadmin commands on a running Payara Micro through the test-only {@link AdminCommandServlet} ({@code ops-control.war},
 * built here from the test classes), and the commands of a checked-in post-boot file with its {@code ${ENV=..}}
 * references resolved as Payara resolves them.
 */
final class AdminCommands {

    static final String CONTEXT = "ops-control";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;

    AdminCommands(int httpPort) {
        this.endpoint = URI.create("http://127.0.0.1:" + httpPort + "/" + CONTEXT + "/asadmin");
    }

    /** Runs one command; fails with the command's output unless it succeeded. Returns the output. */
    String run(String command, String... args) {
        StringBuilder q = new StringBuilder("cmd=").append(enc(command));
        for (String a : args) {
            q.append("&arg=").append(enc(a));
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(q.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("asadmin " + command + " " + List.of(args) + " -> HTTP "
                        + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("asadmin " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The commands of a post-boot file (comments and blank lines dropped), split into words, ENV references resolved. */
    static List<List<String>> postBootCommands(Path file, Map<String, String> env) throws IOException {
        Pattern ref = Pattern.compile("\\$\\{ENV=([A-Za-z0-9_]+)(?::([^}]*))?}");
        List<List<String>> commands = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Matcher m = ref.matcher(l);
            StringBuilder resolved = new StringBuilder();
            while (m.find()) {
                String value = env.getOrDefault(m.group(1), m.group(2));
                if (value == null) {
                    throw new IllegalStateException("no value for ${ENV=" + m.group(1) + "} in " + file);
                }
                m.appendReplacement(resolved, Matcher.quoteReplacement(value));
            }
            m.appendTail(resolved);
            commands.add(List.of(resolved.toString().split("\\s+")));
        }
        return commands;
    }

    /** Writes {@code ops-control.war}: the servlet class from the test classes and a web.xml mapping it. */
    static Path buildControlWar(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path war = dir.resolve(CONTEXT + ".war");
        String classFile = AdminCommandServlet.class.getName().replace('.', '/') + ".class";
        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <servlet><servlet-name>asadmin</servlet-name>
                    <servlet-class>%s</servlet-class></servlet>
                  <servlet-mapping><servlet-name>asadmin</servlet-name><url-pattern>/asadmin</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(AdminCommandServlet.class.getName());
        try (OutputStream out = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(out);
                InputStream cls = AdminCommandServlet.class.getClassLoader().getResourceAsStream(classFile)) {
            if (cls == null) {
                throw new IllegalStateException(classFile + " not on the test class path");
            }
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write(webXml.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + classFile));
            cls.transferTo(zip);
            zip.closeEntry();
        }
        return war;
    }
}
