package io.github.oauth2mail.sample;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Date;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a migration team already has: a server-managed {@link Session}, {@link Transport#send(Message)} and an IMAP
 * read. No OAuth code: whoever configures {@code mail/office365} decides how the connections authenticate.
 */
@Path("/")
@RequestScoped
public class MailResource {

    private static final Logger LOG = Logger.getLogger(MailResource.class.getName());

    @Resource(lookup = "mail/office365")
    Session session;

    /** {@code POST /api/mail?to=..&subject=..} with the text body; answers the Message-ID. */
    @POST
    @Path("mail")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    public Response send(@QueryParam("to") String to, @QueryParam("subject") String subject, String body) {
        if (to == null || to.isBlank()) {
            return Response.status(Response.Status.BAD_REQUEST).entity("query parameter 'to' is required\n").build();
        }
        try {
            MimeMessage message = new MimeMessage(session);
            String from = session.getProperty("mail.from");
            if (from != null) {
                message.setFrom(new InternetAddress(from));
            } else {
                message.setFrom();
            }
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
            message.setSubject(subject == null ? "" : subject, "UTF-8");
            message.setSentDate(new Date());
            message.setText(body == null ? "" : body, "UTF-8");
            Transport.send(message);
            return Response.ok(message.getMessageID() + "\n").build();
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.WARNING, "sending mail failed", e);
            return failure(e);
        }
    }

    /**
     * {@code GET /api/inbox}: the subjects in the mailbox's INBOX, one a line, oldest first, through the Session's
     * default store ({@code mail.store.protocol}) or the one named by {@code protocol} (e.g. {@code pop3s}).
     */
    @GET
    @Path("inbox")
    @Produces(MediaType.TEXT_PLAIN)
    public Response inbox(@QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("protocol") String protocol) {
        if (protocol == null || protocol.isBlank()) {
            protocol = session.getProperty("mail.store.protocol");
        }
        try (Store store = session.getStore(protocol == null ? "imap" : protocol)) {
            store.connect();
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                int count = inbox.getMessageCount();
                StringBuilder out = new StringBuilder();
                if (count > 0) {
                    for (Message m : inbox.getMessages(Math.max(1, count - limit + 1), count)) {
                        out.append(m.getSubject()).append('\n');
                    }
                }
                return Response.ok(out.toString()).build();
            } finally {
                inbox.close(false);
            }
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.WARNING, "reading the inbox failed", e);
            return failure(e);
        }
    }

    private static Response failure(Exception e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return Response.status(Response.Status.BAD_GATEWAY).entity(text.toString()).build();
    }
}
