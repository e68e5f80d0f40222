package io.github.oauth2mail.faults;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #8, scenario 14: CR, LF and the other line separators and controls Angus Mail's CVE-2025-7962 fix covers, in
 * recipients, sender and subject. Each is refused before the message is submitted, or encoded so that the server
 * sees no extra command and no extra header.
 */
class InjectionTest extends FaultTestSupport {

    static final List<String> SEPARATORS = List.of("\r\n", "\n", "\r", "\u0085", "\u2028", "\u2029", "\u0000",
            "\u000b", "\u000c", "\u001b", "\u007f");
    static final Set<String> VERBS = Set.of("EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT");

    Session session;
    final List<String> outcomes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        startServer(T1);
        issuer.stubToken(T1, 3600);
        session = session(factory(keys("inject").set("allowed-mailboxes", BOB)));
    }

    private void attempt(String what, MimeMessage msg) {
        attempt(what, msg, null);
    }

    private void attempt(String what, MimeMessage msg, String user) {
        try {
            if (user == null) {
                Transport.send(msg);
            } else {
                Transport.send(msg, user, "ignored");
            }
            outcomes.add(what + ": sent");
        } catch (MessagingException | RuntimeException e) {
            outcomes.add(what + ": refused (" + e.getClass().getSimpleName() + ")");
        }
    }

    private MimeMessage plain(String subject) throws MessagingException {
        return message(session, ALICE, subject);
    }

    @Test
    void injection_separatorsInRecipientSenderSubject_refusedOrEncodedNeverExtraCommandOrHeader() throws Exception {
        for (String sep : SEPARATORS) {
            String tag = String.format(Locale.ROOT, "U+%04X", (int) sep.charAt(sep.length() - 1));

            MimeMessage rcpt = plain("rcpt " + tag);
            InternetAddress evilRcpt = new InternetAddress();
            evilRcpt.setAddress(RCPT + sep + "RCPT TO:<evil@example.net>");
            rcpt.setRecipient(Message.RecipientType.TO, evilRcpt);
            attempt("recipient " + tag, rcpt);

            MimeMessage from = plain("from " + tag);
            InternetAddress evilFrom = new InternetAddress();
            evilFrom.setAddress(ALICE + sep + "Bcc: evil@example.net");
            from.setFrom(evilFrom);
            attempt("sender " + tag, from);

            MimeMessage personal = plain("personal " + tag);
            personal.setFrom(new InternetAddress(ALICE, "Alice" + sep + "Bcc: evil@example.net", "UTF-8"));
            attempt("sender name " + tag, personal);

            attempt("subject " + tag, plain("subject " + tag + sep + "Bcc: evil@example.net"));

            attempt("mailbox " + tag, plain("mailbox " + tag), BOB + sep + "RSET");

            MimeMessage raw = plain("raw header " + tag);
            raw.setHeader("X-Ticket", "42" + sep + "Bcc: evil@example.net");
            attempt("raw header " + tag, raw);
        }

        List<String> commands = new ArrayList<>();
        for (String line : server.received()) {
            if (!line.isEmpty() && Character.isLetter(line.charAt(0)) && !line.startsWith("AUTH ")
                    && !line.matches("[A-Za-z0-9+/=]+")) {
                commands.add(line);
            }
        }
        assertThat(commands).as("every command the server saw").allSatisfy(l -> {
            assertThat(VERBS).contains(l.split(" ")[0].toUpperCase(Locale.ROOT));
            assertThat(l).doesNotContainIgnoringCase("evil");
        });
        assertThat(count("RCPT")).as("one RCPT per submitted message").isEqualTo(count("MAIL"));
        List<String> badHeaders = new ArrayList<>();
        for (String body : server.messages()) {
            String headers = body.substring(0, body.indexOf("\r\n\r\n") + 2);
            for (String h : headers.split("\r\n")) {
                boolean control = h.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c == 0x85
                        || c == 0x2028 || c == 0x2029);
                boolean injected = h.toLowerCase(Locale.ROOT).startsWith("bcc")
                        || h.toLowerCase(Locale.ROOT).contains("evil") && !h.matches("^(Subject|From): .*=\\?.*\\?=.*|^[ \\t].*");
                if (control || injected) {
                    badHeaders.add(escape(h));
                }
            }
        }
        assertThat(badHeaders).as("header lines with a raw separator/control or an injected header").isEmpty();
        assertThat(outcomes).as("each attempt was sent safely or refused").hasSize(SEPARATORS.size() * 6)
                .contains("subject U+2028: sent", "sender name U+2028: sent", "subject U+000A: sent")
                .allMatch(o -> !o.startsWith("recipient") || o.contains("refused"))
                .allMatch(o -> !o.startsWith("mailbox") || o.contains("refused"))
                .allMatch(o -> !o.startsWith("raw header") || o.contains("refused"));
        assertThat(server.messages()).as("the safely encoded ones arrived").hasSize((int) outcomes.stream()
                .filter(o -> o.endsWith(": sent")).count());
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x20 || c >= 0x7f && c < 0xa0 || c == 0x2028 || c == 0x2029
                ? String.format(Locale.ROOT, "\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }
}
