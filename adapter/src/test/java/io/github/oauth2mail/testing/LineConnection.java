package io.github.oauth2mail.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The server side of one CRLF-line connection of the scripted test servers, and their SASL response parsing. */
final class LineConnection {

    private final InputStream in;
    private final OutputStream out;

    LineConnection(Socket s) throws IOException {
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Sends one or more lines ({@code \r\n} between them), CRLF appended. */
    void send(String lines) throws IOException {
        out.write((lines + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    boolean hasMore() throws IOException {
        return in.available() > 0;
    }

    /** The next line without its CRLF, or null at the end of the stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return null;
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The bearer token of a decoded XOAUTH2 ({@code user=...^Aauth=Bearer t^A^A}) or OAUTHBEARER
     * ({@code n,a=...,^Ahost=...^Aport=...^Aauth=Bearer t^A^A}) client response, or null if it is malformed.
     */
    static String bearerToken(String mechanism, String decoded) {
        Map<String, String> kv = new HashMap<>();
        for (String f : decoded.split("\u0001")) {
            int eq = f.indexOf('=');
            if (eq > 0) {
                kv.put(f.substring(0, eq), f.substring(eq + 1));
            }
        }
        String auth = kv.getOrDefault("auth", "");
        boolean wellFormed = mechanism.equals("XOAUTH2") ? decoded.startsWith("user=")
                : decoded.startsWith("n,a=") && kv.containsKey("host") && kv.containsKey("port");
        return wellFormed && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    }
}
