package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
}
