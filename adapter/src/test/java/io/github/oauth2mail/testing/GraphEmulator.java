package io.github.oauth2mail.testing;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

/**
 * A Microsoft Graph mail emulator for tests: an HTTPS server ({@link TestCertificates}) that accepts only what
 * Microsoft documents for sending mail as an application, and answers as Graph does.
 * <ul>
 * <li>{@code POST /v1.0/users/{id}/sendMail}, {@code Content-Type: text/plain}, body: the MIME message base64 encoded,
 * at most 4 MB: {@code 202} and the message is delivered to its To and Cc addresses.</li>
 * <li>{@code POST /v1.0/users/{id}/sendMail}, {@code Content-Type: application/json}: the JSON form, checked strictly
 * ({@link GraphJsonForm}: documented properties and types only, {@code x-} headers, at most 4 MB, a recipient):
 * {@code 202}, delivered to To, Cc and Bcc; saved in Sent Items unless {@code "saveToSentItems": false}.</li>
 * <li>{@code POST /v1.0/users/{id}/messages} with the same MIME body: a draft, {@code 201} with its JSON ({@code id}).</li>
 * <li>{@code PATCH /v1.0/users/{id}/messages/{msg}}, {@code application/json}, only {@code bccRecipients} of
 * {@code {"emailAddress":{"address":...}}}: {@code 200}.</li>
 * <li>{@code POST /v1.0/users/{id}/messages/{msg}/send} without a body: {@code 202}, delivered to To, Cc and Bcc,
 * with the attachments whose upload sessions completed added to the message (multipart/mixed).</li>
 * <li>{@code DELETE /v1.0/users/{id}/messages/{msg}}: {@code 204}, the draft is gone.</li>
 * <li>{@code POST /v1.0/users/{id}/messages/{msg}/attachments/createUploadSession}, {@code application/json}, body
 * {@code {"AttachmentItem":{"attachmentType":"file","name":...,"size":...}}} (optional {@code contentType},
 * {@code isInline}, {@code contentId}; nothing else), size 3 MB to 150 MB (below:
 * {@code ErrorAttachmentSizeShouldNotBeLessThanMinimumSize}): {@code 201} with {@code uploadUrl},
 * {@code expirationDateTime} and {@code nextExpectedRanges ["0-"]}.</li>
 * <li>{@code PUT {uploadUrl}} (pre-authenticated: an {@code Authorization} header is refused), {@code Content-Type:
 * application/octet-stream}, {@code Content-Range: bytes start-end/size} with start the next expected byte, size the
 * announced size, {@code Content-Length} the body's length, at most 4 MB: {@code 200} with {@code
 * nextExpectedRanges}, and for the last chunk {@code 201} with a {@code Location} header.</li>
 * </ul>
 * Every request needs {@code Authorization: Bearer <token>} with a token the test's predicate accepts (issued for the
 * Graph audience) and not {@link #revoke revoked}: else {@code 401 InvalidAuthenticationToken}. Anything else gets
 * {@code 400} with Graph's error JSON, so a test cannot pass on a request Graph would not take. Answers queued with
 * {@link #enqueue} replace the next valid request's answer (the request is then not carried out), uploads included.
 */
public final class GraphEmulator implements AutoCloseable {

    /** Graph's request limit for MIME sendMail and create message. */
    public static final int MAX_REQUEST = 4 * 1024 * 1024;

    private static final Pattern PATH = Pattern.compile(
            "/v1\\.0/users/([^/]+)/(sendMail|messages|messages/([^/]+)|messages/([^/]+)/send)");

    /** Upload sessions take files of 3 MB to 150 MB, at most 4 MB per PUT. */
    public static final long MIN_UPLOAD = 3L * 1024 * 1024;
    public static final long MAX_UPLOAD = 150L * 1024 * 1024;

    private static final Pattern CREATE_UPLOAD = Pattern.compile(
            "/v1\\.0/users/([^/]+)/messages/([^/]+)/attachments/createUploadSession");
    private static final String UPLOAD = "/upload/";
    private static final Pattern RANGE = Pattern.compile("bytes (\\d{1,12})-(\\d{1,12})/(\\d{1,12})");
    private static final Set<String> ITEM_KEYS = Set.of("attachmentType", "name", "size", "contentType", "isInline",
            "contentId");

    /**
     * A message Graph "sent": as which mailbox, the parsed message, its raw MIME, every address it went to, and
     * whether a copy was saved in the mailbox's Sent Items (MIME sendMail and draft sends always save; JSON sendMail
     * unless {@code "saveToSentItems": false}).
     */
    public record Delivered(String mailbox, MimeMessage message, byte[] mime, List<String> recipients,
                            boolean savedToSentItems) {
    }

    private record Draft(String mailbox, MimeMessage message, byte[] mime, List<String> bcc,
                         List<Attachment> attachments) {
    }

    /** A file attached to a draft through a completed upload session. */
    private record Attachment(String name, String contentType, boolean inline, String contentId, byte[] bytes) {
    }

    /** An upload session: its draft, the announced item, its token and the bytes so far. */
    private static final class UploadSession {
        final String draftId;
        final String mailbox;
        final JSONObject item;
        final long size;
        final String token = UUID.randomUUID().toString();
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        UploadSession(String draftId, String mailbox, JSONObject item, long size) {
            this.draftId = draftId;
            this.mailbox = mailbox;
            this.item = item;
            this.size = size;
        }
    }

    private record Canned(int status, String code, String retryAfter, CountDownLatch hang) {
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Predicate<String> tokenValid;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Map<String, Draft> drafts = new ConcurrentHashMap<>();
    private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();
    private final List<String> deletedDrafts = new ArrayList<>();
    private final Map<Integer, Integer> failedUploads = new HashMap<>();
    private int uploads;
    private CountDownLatch loseSendAnswer;
    private final List<Delivered> delivered = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> jsonBodies = new ArrayList<>();
    private final List<Integer> statuses = new ArrayList<>();
    private final Deque<Canned> canned = new ArrayDeque<>();
    private final List<CountDownLatch> hangs = new ArrayList<>();
    private volatile CountDownLatch hold;
    private volatile Consumer<Delivered> onDelivery = d -> { };
    private int inFlight;
    private int maxInFlight;

    private GraphEmulator(TestCertificates certs, Predicate<String> tokenValid) throws IOException {
        this.tokenValid = tokenValid;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certs.serverContext()));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts an emulator that accepts the bearer tokens {@code tokenValid} accepts. */
    public static GraphEmulator start(TestCertificates certs, Predicate<String> tokenValid) {
        try {
            return new GraphEmulator(certs, tokenValid);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value for {@code graph-endpoint}. */
    public String endpoint() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * From now on every delivered message is also handed to {@code listener} (e.g. to put it into a test mail
     * server's mailboxes, as Exchange delivers what Graph sent), before the client gets its {@code 202}; an exception
     * from the listener makes the emulator answer {@code 400}.
     */
    public GraphEmulator onDelivery(Consumer<Delivered> listener) {
        onDelivery = listener;
        return this;
    }

    /** From now on this token gets {@code 401 InvalidAuthenticationToken}. */
    public void revoke(String token) {
        revoked.add(token);
    }

    /** The next valid request is answered with {@code status} and Graph's error JSON carrying {@code code}. */
    public synchronized GraphEmulator enqueue(int status, String code, String retryAfter) {
        canned.add(new Canned(status, code, retryAfter, null));
        return this;
    }

    /** The next valid request gets no answer (until {@link #close}): the client's read timeout has to end it. */
    public synchronized GraphEmulator enqueueNoAnswer() {
        CountDownLatch l = new CountDownLatch(1);
        hangs.add(l);
        canned.add(new Canned(0, null, null, l));
        return this;
    }

    /** From now on every valid request waits (at most 30 s) until {@code release} opens before it is answered. */
    public void holdUntil(CountDownLatch release) {
        hold = release;
    }

    /** The most valid requests this emulator held at once (see {@link #holdUntil}). */
    public synchronized int maxInFlight() {
        return maxInFlight;
    }

    /** The {@code n}th chunk {@code PUT} from now on (1 = the next) is answered with {@code status}, not stored. */
    public synchronized GraphEmulator failUpload(int n, int status) {
        failedUploads.put(uploads + n, status);
        return this;
    }

    /** The next {@code .../send} of a draft is carried out (delivered) but never answered (until {@link #close}). */
    public synchronized GraphEmulator loseNextSendAnswer() {
        loseSendAnswer = new CountDownLatch(1);
        hangs.add(loseSendAnswer);
        return this;
    }

    /** Drafts created and neither sent nor deleted. */
    public int openDrafts() {
        return drafts.size();
    }

    /** The ids of the drafts deleted with {@code DELETE}, in order. */
    public synchronized List<String> deletedDrafts() {
        return List.copyOf(deletedDrafts);
    }

    public synchronized List<Delivered> delivered() {
        return List.copyOf(delivered);
    }

    /** The body of every JSON sendMail the emulator accepted, in order. */
    public synchronized List<String> jsonSendMailBodies() {
        return List.copyOf(jsonBodies);
    }

    /** Every request as {@code METHOD path}, in order. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The status of every answer, in order. */
    public synchronized List<Integer> statuses() {
        return List.copyOf(statuses);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            carryOut(ex);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error(ex, 400, "BadRequest", "emulator: " + e, null);
        } finally {
            ex.close();
        }
    }

    private void carryOut(HttpExchange ex) throws IOException, InterruptedException {
        {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            synchronized (this) {
                requests.add(method + " " + path);
            }
            byte[] body = readBounded(ex.getRequestBody());
            if (path.startsWith(UPLOAD)) {
                if (!intercepted(ex)) {
                    upload(ex, method, path.substring(UPLOAD.length()), body);
                }
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !tokenValid.test(auth.substring(7))
                    || revoked.contains(auth.substring(7))) {
                error(ex, 401, "InvalidAuthenticationToken", "Access token is empty, invalid or expired.", null);
                return;
            }
            if (intercepted(ex)) {
                return;
            }
            Matcher c = CREATE_UPLOAD.matcher(path);
            if (c.matches() && ex.getRequestURI().getRawQuery() == null) {
                createUploadSession(ex, method, c.group(1), c.group(2), body);
                return;
            }
            Matcher m = PATH.matcher(path);
            if (!m.matches() || ex.getRequestURI().getRawQuery() != null) {
                error(ex, 400, "BadRequest", "Resource not found for the segment.", null);
                return;
            }
            route(ex, method, m, body);
        }
    }

    /** Holds the request while {@link #holdUntil} says; answers it from the queue when one is due (true then). */
    private boolean intercepted(HttpExchange ex) throws InterruptedException {
        CountDownLatch h = hold;
        if (h != null) {
            synchronized (this) {
                maxInFlight = Math.max(maxInFlight, ++inFlight);
            }
            try {
                h.await(30, TimeUnit.SECONDS);
            } finally {
                synchronized (this) {
                    inFlight--;
                }
            }
        }
        Canned next;
        synchronized (this) {
            next = canned.poll();
        }
        if (next != null && next.hang() != null) {
            next.hang().await(30, TimeUnit.SECONDS);
            return true;
        }
        if (next != null) {
            error(ex, next.status(), next.code(), "emulated " + next.code(), next.retryAfter());
            return true;
        }
        return false;
    }

    private void route(HttpExchange ex, String method, Matcher m, byte[] body) throws IOException {
        String mailbox = m.group(1);
        String op = m.group(2);
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (op.equals("sendMail") && method.equals("POST") && "text/plain".equals(contentType)) {
            MimeMessage msg = mime(body);
            deliver(mailbox, msg, mimeBytes(body), List.of(), true);
            answer(ex, 202, null);
        } else if (op.equals("sendMail") && method.equals("POST") && "application/json".equals(contentType)) {
            GraphJsonForm.Parsed json;
            try {
                json = GraphJsonForm.parse(body);
            } catch (GraphJsonForm.Refused r) {
                error(ex, r.status, r.code, r.getMessage(), null);
                return;
            }
            synchronized (this) {
                jsonBodies.add(new String(body, StandardCharsets.UTF_8));
            }
            deliver(mailbox, json.message(), json.mime(), json.bcc(), json.saveToSentItems());
            answer(ex, 202, null);
        } else if (op.equals("messages") && method.equals("POST") && "text/plain".equals(contentType)) {
            String id = "AAMk" + UUID.randomUUID().toString().replace("-", "");
            drafts.put(id, new Draft(mailbox, mime(body), mimeBytes(body), List.of(), new java.util.concurrent.CopyOnWriteArrayList<>()));
            answer(ex, 201, "{\"id\":\"" + id + "\",\"isDraft\":true}");
        } else if (m.group(3) != null && method.equals("PATCH") && "application/json".equals(contentType)) {
            Draft d = drafts.get(m.group(3));
            List<String> bcc = bcc(new String(body, StandardCharsets.UTF_8));
            if (d == null || !d.mailbox().equals(mailbox) || bcc == null) {
                error(ex, d == null ? 404 : 400, d == null ? "ErrorItemNotFound" : "BadRequest", "bad PATCH", null);
                return;
            }
            drafts.put(m.group(3), new Draft(mailbox, d.message(), d.mime(), bcc, d.attachments()));
            answer(ex, 200, "{\"id\":\"" + m.group(3) + "\"}");
        } else if (m.group(4) != null && method.equals("POST") && body.length == 0) {
            Draft d = drafts.remove(m.group(4));
            if (d == null || !d.mailbox().equals(mailbox)) {
                error(ex, 404, "ErrorItemNotFound", "The specified object was not found in the store.", null);
                return;
            }
            if (d.attachments().isEmpty()) {
                deliver(mailbox, d.message(), d.mime(), d.bcc(), true);
            } else {
                byte[] assembled = withAttachments(d);
                deliver(mailbox, parse(assembled), assembled, d.bcc(), true);
            }
            CountDownLatch lost;
            synchronized (this) {
                lost = loseSendAnswer;
                loseSendAnswer = null;
            }
            if (lost != null) {
                awaitQuietly(lost);
                return;
            }
            answer(ex, 202, null);
        } else if (m.group(3) != null && method.equals("DELETE") && body.length == 0) {
            Draft d = drafts.get(m.group(3));
            if (d == null || !d.mailbox().equals(mailbox)) {
                error(ex, 404, "ErrorItemNotFound", "The specified object was not found in the store.", null);
                return;
            }
            drafts.remove(m.group(3));
            synchronized (this) {
                deletedDrafts.add(m.group(3));
            }
            answer(ex, 204, null);
        } else {
            error(ex, 400, "BadRequest", "emulator: " + ex.getRequestMethod() + " " + op + " with Content-Type "
                    + contentType + " is not a documented request", null);
        }
    }

    private void createUploadSession(HttpExchange ex, String method, String mailbox, String draftId, byte[] body)
            throws IOException {
        Draft d = drafts.get(draftId);
        if (d == null || !d.mailbox().equals(mailbox)) {
            error(ex, 404, "ErrorItemNotFound", "The specified object was not found in the store.", null);
            return;
        }
        JSONObject item = attachmentItem(method, ex.getRequestHeaders().getFirst("Content-Type"), body);
        if (item == null) {
            error(ex, 400, "BadRequest", "emulator: not a documented createUploadSession request", null);
            return;
        }
        long size = ((Number) item.get("size")).longValue();
        if (size < MIN_UPLOAD || size > MAX_UPLOAD) {
            error(ex, 400, size < MIN_UPLOAD ? "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize"
                    : "ErrorAttachmentSizeShouldNotExceedMaximumSize", "attachment size " + size, null);
            return;
        }
        String id = "AAMkSession" + UUID.randomUUID().toString().replace("-", "");
        UploadSession session = new UploadSession(draftId, mailbox, item, size);
        sessions.put(id, session);
        answer(ex, 201, new JSONObject(Map.of("@odata.context",
                "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession",
                "uploadUrl", endpoint() + UPLOAD + id + "?authtoken=" + session.token,
                "expirationDateTime", java.time.Instant.now().plusSeconds(900).toString(),
                "nextExpectedRanges", List.of("0-"))).toJSONString());
    }

    /** The {@code AttachmentItem} of a createUploadSession body, or null when it is not the documented shape. */
    private static JSONObject attachmentItem(String method, String contentType, byte[] body) {
        try {
            JSONObject o = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
            JSONObject item = (JSONObject) o.get("AttachmentItem");
            boolean ok = method.equals("POST") && "application/json".equals(contentType)
                    && o.keySet().equals(Set.of("AttachmentItem")) && ITEM_KEYS.containsAll(item.keySet())
                    && "file".equals(item.get("attachmentType")) && item.get("name") instanceof String
                    && !((String) item.get("name")).isEmpty() && item.get("size") instanceof Number
                    && (item.get("contentType") == null || item.get("contentType") instanceof String)
                    && (item.get("isInline") == null || item.get("isInline") instanceof Boolean)
                    && (item.get("contentId") == null || item.get("contentId") instanceof String);
            return ok ? item : null;
        } catch (Exception e) {
            return null;
        }
    }

    private void upload(HttpExchange ex, String method, String id, byte[] body) throws IOException {
        UploadSession s = sessions.get(id);
        String query = ex.getRequestURI().getRawQuery();
        if (s == null || query == null || !query.equals("authtoken=" + s.token)) {
            error(ex, 401, "InvalidAuthenticationToken", "upload session unknown or token wrong", null);
            return;
        }
        var h = ex.getRequestHeaders();
        Matcher r = RANGE.matcher(String.valueOf(h.getFirst("Content-Range")));
        if (!method.equals("PUT") || h.containsKey("Authorization") || !"application/octet-stream".equals(
                h.getFirst("Content-Type")) || !r.matches() || !String.valueOf(body.length).equals(
                h.getFirst("Content-Length"))) {
            error(ex, 400, "BadRequest", "emulator: not a documented upload request (PUT without Authorization, "
                    + "application/octet-stream, Content-Range, Content-Length)", null);
            return;
        }
        Integer fail;
        synchronized (this) {
            fail = failedUploads.remove(++uploads);
        }
        if (fail != null) {
            error(ex, fail, fail >= 500 ? "ServiceUnavailable" : "ErrorInvalidRequest", "emulated chunk failure", null);
            return;
        }
        long start = Long.parseLong(r.group(1));
        long end = Long.parseLong(r.group(2));
        long total = Long.parseLong(r.group(3));
        synchronized (s) {
            if (start != s.bytes.size() || total != s.size || end < start || end >= total
                    || end - start + 1 != body.length) {
                error(ex, 400, "ErrorInvalidRequest", "emulator: range " + start + "-" + end + "/" + total
                        + ", expected " + s.bytes.size() + "-/" + s.size, null);
                return;
            }
            s.bytes.write(body);
            if (s.bytes.size() < s.size) {
                answer(ex, 200, new JSONObject(Map.of("expirationDateTime", java.time.Instant.now().plusSeconds(900)
                        .toString(), "nextExpectedRanges", List.of(String.valueOf(s.bytes.size())))).toJSONString());
                return;
            }
            sessions.remove(id);
            Draft d = drafts.get(s.draftId);
            if (d == null) {
                error(ex, 404, "ErrorItemNotFound", "The specified object was not found in the store.", null);
                return;
            }
            d.attachments().add(new Attachment((String) s.item.get("name"), (String) s.item.get("contentType"),
                    Boolean.TRUE.equals(s.item.get("isInline")), (String) s.item.get("contentId"), s.bytes.toByteArray()));
            ex.getResponseHeaders().add("Location", endpoint() + "/attachments/" + UUID.randomUUID());
            answer(ex, 201, null);
        }
    }

    /** The draft's MIME with its uploaded attachments added (multipart/mixed), Message-ID and headers kept. */
    private static byte[] withAttachments(Draft d) {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(d.mime())) {
                @Override
                protected void updateMessageID() {
                    // keep the app's Message-ID, as Exchange does
                }
            };
            MimeMultipart mixed;
            if (m.isMimeType("multipart/mixed")) {
                mixed = (MimeMultipart) m.getContent();
            } else {
                MimeBodyPart first = new MimeBodyPart();
                first.setContent(m.getContent(), m.getContentType());
                mixed = new MimeMultipart("mixed", first);
            }
            for (Attachment a : d.attachments()) {
                MimeBodyPart p = new MimeBodyPart();
                p.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(a.bytes(),
                        a.contentType() == null ? "application/octet-stream" : a.contentType())));
                p.setFileName(a.name());
                p.setDisposition(a.inline() ? Part.INLINE : Part.ATTACHMENT);
                if (a.contentId() != null) {
                    p.setContentID("<" + a.contentId() + ">");
                }
                mixed.addBodyPart(p);
            }
            m.setContent(mixed);
            m.saveChanges();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            m.writeTo(out);
            return out.toByteArray();
        } catch (jakarta.mail.MessagingException | IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MimeMessage parse(byte[] raw) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The request body as Graph takes MIME: base64 (no line breaks), at most 4 MB. */
    private static byte[] mimeBytes(byte[] body) {
        if (body.length == 0 || body.length > MAX_REQUEST) {
            throw new IllegalArgumentException("MIME body empty or over 4 MB: " + body.length);
        }
        return Base64.getDecoder().decode(body);
    }

    private static MimeMessage mime(byte[] body) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mimeBytes(body)));
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalArgumentException("Invalid base64 string for MIME content.", e);
        }
    }

    /** The addresses of {@code {"bccRecipients":[{"emailAddress":{"address":...}}]}}, or null for another shape. */
    private static List<String> bcc(String json) {
        try {
            JSONObject o = JSONObjectUtils.parse(json);
            if (!o.keySet().equals(Set.of("bccRecipients"))) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (Object r : (JSONArray) o.get("bccRecipients")) {
                JSONObject e = (JSONObject) ((JSONObject) r).get("emailAddress");
                out.add(new InternetAddress((String) e.get("address"), true).getAddress());
            }
            return out;
        } catch (Exception e) {
            return null;
        }
    }

    private synchronized void deliver(String mailbox, MimeMessage msg, byte[] raw, List<String> bcc, boolean saved) {
        List<String> to = new ArrayList<>();
        try {
            for (Message.RecipientType t : new Message.RecipientType[] {Message.RecipientType.TO,
                    Message.RecipientType.CC}) {
                Address[] a = msg.getRecipients(t);
                if (a != null) {
                    for (Address x : a) {
                        to.add(((InternetAddress) x).getAddress());
                    }
                }
            }
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalArgumentException(e);
        }
        to.addAll(bcc);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        Delivered d = new Delivered(mailbox, msg, raw, List.copyOf(to), saved);
        onDelivery.accept(d);
        delivered.add(d);
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_REQUEST + 1);
        if (b.length > MAX_REQUEST) {
            throw new IllegalArgumentException("request over 4 MB");
        }
        return b;
    }

    private void error(HttpExchange ex, int status, String code, String message, String retryAfter) {
        Map<String, Object> error = new HashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (retryAfter != null) {
            ex.getResponseHeaders().add("Retry-After", retryAfter);
        }
        try {
            answer(ex, status, new JSONObject(Map.of("error", new JSONObject(error))).toJSONString());
        } catch (IOException e) {
            // the client went away
        }
    }

    private void answer(HttpExchange ex, int status, String json) throws IOException {
        synchronized (this) {
            statuses.add(status);
        }
        ex.getResponseHeaders().add("request-id", UUID.randomUUID().toString());
        if (json == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            hangs.forEach(CountDownLatch::countDown);
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
