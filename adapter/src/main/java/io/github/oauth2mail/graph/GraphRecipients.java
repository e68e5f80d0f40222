package io.github.oauth2mail.graph;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The recipients of one send compared with the message's To and Cc headers (what MIME sendMail delivers to, the Bcc
 * header is never written by {@code writeTo}): the envelope recipients that are in no such header, and the header
 * addresses the send does not name.
 */
record GraphRecipients(List<String> envelopeOnly, List<String> headerOnlyAddresses) {

    static GraphRecipients of(Message message, Address[] envelope) throws MessagingException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Message.RecipientType t : new Message.RecipientType[] {Message.RecipientType.TO, Message.RecipientType.CC}) {
            Address[] a = message.getRecipients(t);
            if (a != null) {
                for (Address x : a) {
                    String s = address(x);
                    headers.put(s.toLowerCase(Locale.ROOT), s);
                }
            }
        }
        Map<String, String> sendTo = new LinkedHashMap<>();
        for (Address x : envelope) {
            String s = address(x);
            sendTo.put(s.toLowerCase(Locale.ROOT), s);
        }
        List<String> envelopeOnly = new ArrayList<>();
        sendTo.forEach((k, v) -> {
            if (!headers.containsKey(k)) {
                envelopeOnly.add(v);
            }
        });
        List<String> headerOnly = new ArrayList<>();
        headers.forEach((k, v) -> {
            if (!sendTo.containsKey(k)) {
                headerOnly.add(v);
            }
        });
        return new GraphRecipients(List.copyOf(envelopeOnly), List.copyOf(headerOnly));
    }

    private static String address(Address a) throws MessagingException {
        if (a instanceof InternetAddress) {
            return ((InternetAddress) a).getAddress();
        }
        throw new MessagingException("Microsoft Graph sends to Internet addresses only, not " + a.getType());
    }
}
