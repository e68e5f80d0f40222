package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.Address;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The recipients of one send: checked before any command is sent, then offered with RCPT TO. */
final class Envelope {

    private Envelope() {
    }

    /**
     * The envelope addresses of {@code recipients}.
     *
     * @throws SmtpSendException listing every unusable address (nothing was sent to the server)
     */
    static List<String> check(Address[] recipients, boolean serverHasSmtpUtf8) throws SmtpSendException {
        if (recipients == null || recipients.length == 0) {
            throw SmtpSendException.invalid(MessageId.SMTP_NO_RECIPIENTS, "not sent: no recipients", null);
        }
        List<String> addresses = new ArrayList<>(recipients.length);
        List<Address> invalid = new ArrayList<>();
        StringBuilder why = new StringBuilder();
        for (Address a : recipients) {
            String s = EnvelopeAddress.of(a);
            String problem = s == null ? "not an Internet mail address" : EnvelopeAddress.problem(s, serverHasSmtpUtf8);
            if (problem != null) {
                invalid.add(a);
                why.append(why.length() == 0 ? "" : "; ").append(EnvelopeAddress.printable(s == null ? String.valueOf(a) : s))
                        .append(": ").append(problem);
            }
            addresses.add(s);
        }
        if (!invalid.isEmpty()) {
            throw SmtpSendException.invalid(MessageId.SMTP_RECIPIENTS_INVALID,
                    "not sent: invalid recipient address(es): "
                    + why,
                    invalid.toArray(new Address[0]));
        }
        return addresses;
    }

    /**
     * MAIL FROM and RCPT TO for every recipient. With PIPELINING (RFC 2920) all these commands go out in one write and
     * the replies are read in order; DATA is never pipelined, so nothing is sent when any recipient is rejected.
     * Reading stops early only when the server closes the session (421).
     *
     * @return the reply to MAIL FROM and what each RCPT TO gave (not read if MAIL FROM was refused without pipelining)
     */
    static Rcpt mailAndRcpt(SmtpWire wire, String mailFrom, Address[] recipients, List<String> addresses,
                            boolean pipelining) throws IOException {
        Rcpt r = new Rcpt();
        if (pipelining) {
            wire.queue(mailFrom, mailFrom);
            for (String a : addresses) {
                wire.queue("RCPT TO:<" + a + ">", "RCPT TO:<" + a + ">");
            }
            wire.flush();
            wire.stage("MAIL");
            r.mailReply = wire.readReply();
        } else {
            r.mailReply = wire.command(mailFrom);
            if (r.mailReply.code() != 250) {
                return r;
            }
        }
        if (r.mailReply.code() == 421) {
            return r;
        }
        for (int i = 0; i < recipients.length; i++) {
            String rcpt = "RCPT TO:<" + addresses.get(i) + ">";
            wire.stage("RCPT");
            SmtpReply reply = pipelining ? wire.readReply() : wire.command(rcpt);
            if (reply.code() == 250 || reply.code() == 251) {
                r.accepted.add(recipients[i]);
                continue;
            }
            r.details.append(r.details.length() == 0 ? "" : "; ").append(addresses.get(i)).append(": ").append(reply);
            if (r.worst == null || r.worst.isTemporary() && !reply.isTemporary() || reply.code() == 421) {
                r.worst = reply;
            }
            (reply.isTemporary() ? r.temporary : r.permanent).add(recipients[i]);
            if (reply.code() == 421) {
                break;
            }
        }
        return r;
    }

    /** What RCPT TO gave. */
    static final class Rcpt {
        private final List<Address> accepted = new ArrayList<>();
        private final List<Address> temporary = new ArrayList<>();
        private final List<Address> permanent = new ArrayList<>();
        private final StringBuilder details = new StringBuilder();
        private SmtpReply mailReply;
        private SmtpReply worst;

        SmtpReply mailReply() {
            return mailReply;
        }

        boolean failed() {
            return worst != null;
        }

        /** The reply that decides the outcome: 421 if any, else a permanent rejection if any. */
        SmtpReply worst() {
            return worst;
        }

        String details() {
            return details.toString();
        }

        /** Accepted, and temporarily rejected, recipients: a later send may reach them. */
        Address[] validUnsent() {
            List<Address> l = new ArrayList<>(accepted);
            l.addAll(temporary);
            return l.toArray(new Address[0]);
        }

        Address[] invalid() {
            return permanent.toArray(new Address[0]);
        }
    }
}
