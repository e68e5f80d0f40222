package io.github.oauth2mail.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link RefusedImapSocket}: what the IMAP provider reads for a folder connection the adapter could not open. */
class RefusedImapSocketTest {

    private static StoreLoginException failure(String text) {
        return new StoreLoginException(MessageId.STORE_TOKEN_REJECTED, text, true, null, null);
    }

    /** Everything the provider reads, through the socket it holds. */
    private static String readAll(InputStream in) throws IOException {
        byte[] all = in.readNBytes(64 * 1024);
        assertThat(in.read()).as("end of stream").isEqualTo(-1);
        return new String(all, StandardCharsets.ISO_8859_1);
    }

    @Test
    void providerReads_preauthGreetingThenByeWithReasonThenEnd() throws Exception {
        PreauthenticatedSocket s = new PreauthenticatedSocket(
                endpoint -> RefusedImapSocket.result(failure("IMAP server imap.example:993 did not accept the token")));
        s.connect(new InetSocketAddress("127.0.0.1", 993));
        s.setSoTimeout(1000);

        String read = readAll(s.getInputStream());

        assertThat(read).startsWith("* PREAUTH [CAPABILITY IMAP4rev1] ")
                .endsWith("\r\n* BYE OAM227 IMAP server imap.example:993 did not accept the token\r\n");
        assertThat(read.split("\r\n", -1)).as("two lines, then nothing").hasSize(3);
        s.getOutputStream().write("A3 SELECT INBOX\r\n".getBytes(StandardCharsets.US_ASCII)); // discarded
        assertThat(s.getInetAddress()).isNull();
        assertThat(s.getLocalAddress()).isNotNull();
        assertThat(s.isClosed()).isFalse();
        s.close();
        assertThat(s.isClosed()).isTrue();
        s.close(); // harmless
    }

    @Test
    void reason_crLfAndControlCharactersInjected_stayOneLineOfPrintableAscii() throws Exception {
        ImapLogin.Result r = RefusedImapSocket.result(failure("server said: no\r\nA1 OK [READ-WRITE] SELECT done\n"
                + "\u0000\u001b[31m caf\u00e9 \u2028 {12}"));

        String read = readAll(r.in);

        assertThat(read).endsWith("\r\n").doesNotContain("\n* ", "\nA1");
        assertThat(read.indexOf('\n')).as("exactly one line").isEqualTo(read.length() - 1);
        String line = read.substring(0, read.length() - 2);
        assertThat(line).startsWith("* BYE OAM227 server said: no  A1 OK [READ-WRITE] SELECT done")
                .contains("caf?").doesNotEndWith("}");
        assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void reason_veryLong_boundedLine() throws Exception {
        ImapLogin.Result r = RefusedImapSocket.result(failure("x".repeat(100_000)));

        String read = readAll(r.in);

        assertThat(read).startsWith("* BYE OAM227 xxx").endsWith("x\r\n");
        assertThat(read.length()).isLessThanOrEqualTo("* BYE ".length() + RefusedImapSocket.MAX_REASON + 2);
    }

    @Test
    void closed_streamsEndAndWritesFail() throws Exception {
        ImapLogin.Result r = RefusedImapSocket.result(failure("refused"));
        OutputStream out = r.socket.getOutputStream();
        out.write(new byte[] {'a', 'b'});

        r.socket.close();

        assertThat(r.in.read()).isEqualTo(-1);
        assertThatThrownBy(() -> out.write('c')).isInstanceOf(SocketException.class);
        assertThatThrownBy(r.socket::getInputStream).isInstanceOf(SocketException.class);
        assertThat(r.raw.isClosed()).isTrue();
    }
}
