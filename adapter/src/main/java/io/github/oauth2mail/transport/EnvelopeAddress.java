package io.github.oauth2mail.transport;

import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;

/**
 * Checks an address before it goes into {@code MAIL FROM:<..>} or {@code RCPT TO:<..>}: no control characters (CR and
 * LF would inject commands, as in Angus Mail CVE-2025-7962), no Unicode line separators, nothing that ends the angle
 * brackets, and non-ASCII only when the server offers SMTPUTF8.
 */
final class EnvelopeAddress {

    private EnvelopeAddress() {
    }

    /** The address text of {@code a}, or null when {@code a} is not an Internet address. */
    static String of(Address a) {
        return a instanceof InternetAddress ? ((InternetAddress) a).getAddress() : null;
    }

    /** Why {@code address} cannot be used in an envelope command, or null when it can. */
    static String problem(String address, boolean serverHasSmtpUtf8) {
        if (address == null || address.isEmpty()) {
            return "not an Internet mail address";
        }
        boolean nonAscii = false;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                return "contains a control or line-break character (U+" + String.format("%04X", (int) c) + ")";
            }
            nonAscii |= c > 0x7f;
        }
        if (address.indexOf('<') >= 0 || address.indexOf('>') >= 0) {
            return "contains '<' or '>'";
        }
        if (nonAscii && !serverHasSmtpUtf8) {
            return "contains non-ASCII characters and the server does not offer SMTPUTF8";
        }
        return null;
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** For messages: the address with control characters escaped, so a log line cannot be split. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
