package io.github.oauth2mail.it.ops.control;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;

/**
 * TEST-ONLY control endpoint, deployed by {@code RedeployLeakIT} into its own Payara Micro (never shipped): Payara
 * Micro has no admin listener and no {@code asadmin} client, and its public API runs commands only across a cluster,
 * so this servlet runs one asadmin command on the local instance through the server's own
 * {@code org.glassfish.embeddable.CommandRunner} (the one that runs post-boot command files), looked up by
 * reflection in the server's HK2 service locator. {@code POST /asadmin?cmd=<command>&arg=..&arg=..}: 200 with the
 * command's output when it succeeded, 500 with the output and failure otherwise.
 */
public class AdminCommandServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String cmd = req.getParameter("cmd");
        String[] args = req.getParameterValues("arg");
        String answer;
        boolean ok;
        try {
            ClassLoader server = req.getServletContext().getClass().getClassLoader();
            Class<?> globals = Class.forName("org.glassfish.internal.api.Globals", true, server);
            Object locator = globals.getMethod("getDefaultBaseServiceLocator").invoke(null);
            Class<?> locatorType = Class.forName("org.glassfish.hk2.api.ServiceLocator", true, server);
            Class<?> runnerType = Class.forName("org.glassfish.embeddable.CommandRunner", true, server);
            Object runner = locatorType.getMethod("getService", Class.class, Annotation[].class)
                    .invoke(locator, runnerType, new Annotation[0]);
            Object result = runnerType.getMethod("run", String.class, String[].class)
                    .invoke(runner, cmd, args == null ? new String[0] : args);
            Class<?> resultType = Class.forName("org.glassfish.embeddable.CommandResult", true, server);
            String status = String.valueOf(resultType.getMethod("getExitStatus").invoke(result));
            Object failure = resultType.getMethod("getFailureCause").invoke(result);
            ok = !"FAILURE".equals(status);
            answer = status + "\n" + resultType.getMethod("getOutput").invoke(result)
                    + (failure == null ? "" : "\n" + failure);
        } catch (InvocationTargetException e) {
            ok = false;
            answer = "FAILURE\n" + e.getCause();
        } catch (ReflectiveOperationException | RuntimeException e) {
            ok = false;
            answer = "FAILURE\n" + e;
        }
        resp.setStatus(ok ? 200 : 500);
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
