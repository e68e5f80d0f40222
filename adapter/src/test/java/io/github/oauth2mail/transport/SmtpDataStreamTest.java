package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.LineOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmtpDataStreamTest {

    private static String data(String in, boolean byteWise) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmtpDataStream s = new SmtpDataStream(out);
        byte[] b = in.getBytes(StandardCharsets.UTF_8);
        if (byteWise) {
            for (byte x : b) {
                s.write(x);
            }
        } else {
            s.write(b, 0, b.length);
        }
        s.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void finish_mixedLineEndingsAndLeadingDots_crlfNormalisedAndDotsStuffed() throws Exception {
        String in = ".first\nsecond\r\n.third\rfourth\r\n\r\n..fifth";
        String expected = "..first\r\nsecond\r\n..third\r\nfourth\r\n\r\n...fifth\r\n.\r\n";
        assertThat(data(in, false)).isEqualTo(expected);
        assertThat(data(in, true)).isEqualTo(expected);
    }

    @Test
    void finish_endsWithNewline_noExtraEmptyLine() throws Exception {
        assertThat(data("body\r\n", false)).isEqualTo("body\r\n.\r\n");
        assertThat(data("", false)).isEqualTo(".\r\n");
    }

    @Test
    void write_dotInsideLine_unchanged() throws Exception {
        assertThat(data("a.b\r\n x.", false)).isEqualTo("a.b\r\n x.\r\n.\r\n");
    }

    /** Counts the calls the data stream makes on the socket stream. */
    private static final class CountingSocket extends ByteArrayOutputStream {
        int singleByteWrites;
        int bulkWrites;
        int flushes;

        @Override
        public synchronized void write(int b) {
            singleByteWrites++;
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bulkWrites++;
            super.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    /** What the stream must produce, one character at a time. */
    private static String reference(String in) {
        StringBuilder b = new StringBuilder();
        boolean atLineStart = true;
        char last = 0;
        for (char c : in.toCharArray()) {
            if (c == '\r' || c == '\n') {
                if (!(c == '\n' && last == '\r')) {
                    b.append("\r\n");
                }
                atLineStart = true;
            } else {
                if (atLineStart && c == '.') {
                    b.append('.');
                }
                b.append(c);
                atLineStart = false;
            }
            last = c;
        }
        return b.append(atLineStart ? "" : "\r\n").append(".\r\n").toString();
    }

    private static String randomText(int length, long seed) {
        Random r = new Random(seed);
        String alphabet = "abc .\r\n..\n\rxyz";
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void write_byteWise_reachesTheSocketInChunksNotByteByByte() throws Exception {
        // what Angus's text_plain handler does: every byte of the body through write(int)
        String in = randomText(20_000, 1);
        CountingSocket socket = new CountingSocket();
        SmtpDataStream s = new SmtpDataStream(socket);
        for (byte x : in.getBytes(StandardCharsets.US_ASCII)) {
            s.write(x);
        }
        s.finish();
        String out = socket.toString(StandardCharsets.US_ASCII);
        assertThat(out).isEqualTo(reference(in));
        assertThat(socket.singleByteWrites).isZero();
        assertThat(socket.bulkWrites).isLessThanOrEqualTo(out.length() / (8 * 1024) + 1);
        assertThat(socket.flushes).isEqualTo(1);
    }

    @Test
    void write_smallMessage_nothingReachesTheSocketBeforeFlush() throws Exception {
        CountingSocket socket = new CountingSocket();
        SmtpDataStream s = new SmtpDataStream(socket);
        s.write("Subject: x\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII));
        s.write('!');
        assertThat(socket.size()).isZero();
        s.flush();
        assertThat(socket.toString(StandardCharsets.US_ASCII)).isEqualTo("Subject: x\r\n\r\nbody!");
        assertThat(socket.bulkWrites).isEqualTo(1);
    }

    @Test
    void write_anyChunkingAcrossTheBuffer_sameAsCharacterByCharacter() throws Exception {
        for (long seed = 0; seed < 20; seed++) {
            String in = randomText(30_000, seed);
            byte[] b = in.getBytes(StandardCharsets.US_ASCII);
            Random r = new Random(seed);
            ByteArrayOutputStream socket = new ByteArrayOutputStream();
            SmtpDataStream s = new SmtpDataStream(socket);
            int i = 0;
            while (i < b.length) {
                int n = Math.min(b.length - i, r.nextInt(3) == 0 ? 1 : r.nextInt(20_000));
                if (n == 1) {
                    s.write(b[i]);
                } else {
                    s.write(b, i, n);
                }
                i += n;
            }
            s.finish();
            assertThat(socket.toString(StandardCharsets.US_ASCII)).as("seed %d", seed).isEqualTo(reference(in));
        }
    }

    @Test
    void flush_socketFails_socketFailedIsTrue() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        };
        SmtpDataStream s = new SmtpDataStream(broken);
        s.write('a');
        assertThat(s.socketFailed()).isFalse();
        assertThatThrownBy(s::flush).isInstanceOf(IOException.class);
        assertThat(s.socketFailed()).isTrue();
    }

    private static List<MimeMessage> messages() throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage plain = new MimeMessage(session);
        plain.setFrom(new InternetAddress("alice@example.com", "Alice Ärger"));
        plain.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.org"));
        plain.setSubject("Grüße, a subject long enough to be folded by Jakarta Mail when it is encoded as an encoded "
                + "word: " + "x".repeat(120), "UTF-8");
        plain.setHeader("X-Raw", "caf\u00e9 raw header");
        plain.setText("first line\n.leading dot\r\nlast line without newline", "UTF-8");

        MimeMessage multi = new MimeMessage(session);
        multi.setFrom(new InternetAddress("alice@example.com"));
        multi.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.org"));
        multi.setSubject("attachment");
        MimeMultipart mp = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText(".dot\r\nbody\r\n", "US-ASCII");
        MimeBodyPart file = new MimeBodyPart();
        byte[] data = new byte[30_000];
        new Random(7).nextBytes(data);
        file.setContent(data, "application/octet-stream");
        file.setFileName("data.bin");
        mp.addBodyPart(text);
        mp.addBodyPart(file);
        multi.setContent(mp);

        for (MimeMessage m : List.of(plain, multi)) {
            m.saveChanges();
        }
        return List.of(plain, multi);
    }

    @Test
    void writeTo_asLineOutputStream_sameBytesAsThroughJakartaMailsLineStream() throws Exception {
        for (MimeMessage m : messages()) {
            ByteArrayOutputStream direct = new ByteArrayOutputStream();
            SmtpDataStream d = new SmtpDataStream(direct);
            assertThat(d).isInstanceOf(LineOutputStream.class);
            m.writeTo(d, new String[] {"Bcc"});
            d.finish();

            // hidden behind a plain FilterOutputStream, Jakarta Mail wraps it in Angus's own line stream
            ByteArrayOutputStream viaAngus = new ByteArrayOutputStream();
            SmtpDataStream a = new SmtpDataStream(viaAngus);
            m.writeTo(new FilterOutputStream(a) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }
            }, new String[] {"Bcc"});
            a.finish();

            assertThat(direct.toByteArray()).isEqualTo(viaAngus.toByteArray());
            assertThat(direct.toString(StandardCharsets.ISO_8859_1)).contains("\r\n\r\n").endsWith("\r\n.\r\n");
        }
    }
}
