package io.github.oauth2mail.bench;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /bench/send?threads=N&warmup=S&window=S&sinkPid=P}: sends the benchmark's 2 KB message from N threads
 * (the server's ManagedThreadFactory; Payara Micro, WildFly or Open Liberty) with {@code Transport.send} on the connector's Session, the way an application
 * does: every send takes a connection from the server's JCA pool and returns it. The response is the
 * {@link Measure.Result} as text (window rate, every latency, this server JVM's CPU). One request at a time.
 */
@WebServlet("/send")
public class SendServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    // the resource of server-config/{payara,wildfly,liberty} as checked in (on WildFly through the deployment overlay
    // with jboss-web-mail-resource.xml that oauth2-mail-connector.cli adds to bench.war)
    @Resource(lookup = "mail/office365")
    private transient Session session;

    // the server's default ManagedThreadFactory (Liberty: the benchmark adds the app's concurrent-3.0 feature)
    @Resource
    private transient ManagedThreadFactory threads;

    @Override
    protected synchronized void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int n = Integer.parseInt(req.getParameter("threads"));
        double warmup = Double.parseDouble(req.getParameter("warmup"));
        double window = Double.parseDouble(req.getParameter("window"));
        long sinkPid = Long.parseLong(req.getParameter("sinkPid"));
        Workload.Path path = () -> {
            MimeMessage msg = Workload.message(session);
            return () -> Transport.send(msg);
        };
        Measure.Result r;
        try {
            r = Measure.run(path, n, warmup, 1, window, sinkPid, threads);
        } catch (Exception e) {
            resp.sendError(500, e.toString());
            return;
        }
        resp.setContentType("text/plain");
        resp.getWriter().write(r.toText());
    }
}
