package io.github.oauth2mail.token;

import static io.github.oauth2mail.token.TokenFixtures.MAILBOX;
import static io.github.oauth2mail.token.TokenFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.oauth2mail.config.ConfigurationException;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.testing.LogCapture;
import io.github.oauth2mail.testing.TestTokenIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, refresh tokens survive restarts: a provider that rotates the refresh token on every use, and a "restart"
 * (a new refresher from the same settings) in between.
 */
class RefreshTokenFileTest {

    @TempDir
    static Path issuerDir;
    static TestTokenIssuer issuer;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start(issuerDir);
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @BeforeEach
    void reset() {
        issuer.resetRequests();
        issuer.stubTokenWithRotatedRefreshToken(3600);
    }

    private Map<String, String> keys(Path file) {
        Map<String, String> keys = TokenFixtures.oauth2(issuer, "refresh_token");
        keys.put(key("refresh-token"), TokenFixtures.REFRESH_TOKEN);
        keys.put(key("refresh-token-file"), file.toString());
        return keys;
    }

    @Test
    void token_providerRotatesOnEveryUseAndResourceRestarts_secondRuntimeUsesTheRotatedTokenFromTheFile()
            throws Exception {
        Path file = dir.resolve("office365.refresh-token");
        Map<String, String> keys = keys(file);
        try (LogCapture log = new LogCapture()) {
            try (TokenRefresher first = TokenRefresher.create(TokenFixtures.settings(keys))) {
                AccessToken t = first.token(MAILBOX);
                first.invalidate(MAILBOX, t); // a second request: the token rotates again
                first.token(MAILBOX);
            }
            List<String> rotated = issuer.issuedRefreshTokens();
            assertThat(rotated).hasSize(2);
            assertThat(form(0)).containsEntry("refresh_token", TokenFixtures.REFRESH_TOKEN);
            assertThat(form(1)).containsEntry("refresh_token", rotated.get(0));
            assertThat(Files.readString(file, StandardCharsets.UTF_8).trim()).isEqualTo(rotated.get(1));
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            }

            // restart: a new runtime from the same settings (refresh-token still holds the first, used-up value)
            try (TokenRefresher second = TokenRefresher.create(TokenFixtures.settings(keys))) {
                second.token(MAILBOX);
            }

            assertThat(form(2)).containsEntry("refresh_token", rotated.get(1));
            assertThat(Files.readString(file, StandardCharsets.UTF_8).trim())
                    .isEqualTo(issuer.issuedRefreshTokens().get(2));
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).as("no temporary file left behind").containsExactly(file);
            }
            for (String rt : issuer.issuedRefreshTokens()) {
                assertThat(log.all()).doesNotContain(rt);
            }
            assertThat(log.all()).contains("OAM106").doesNotContain(TokenFixtures.REFRESH_TOKEN);
        }
    }

    @Test
    void load_fileInAFolderThatDoesNotExist_problemNamesTheKeyAtStartNotAtTheFirstRotation() {
        Map<String, String> keys = keys(dir.resolve("no-such-folder").resolve("rt"));

        assertThatThrownBy(() -> TokenFixtures.settings(keys)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(key("refresh-token-file") + ": folder ").hasMessageContaining("does not exist");
    }

    @Test
    void load_fileWithTokenAndNoRefreshToken_startsFromTheFile() throws Exception {
        Path file = dir.resolve("rt");
        Files.writeString(file, "rt-from-file-abc123\n", StandardCharsets.UTF_8);
        Map<String, String> keys = keys(file);
        keys.remove(key("refresh-token"));
        ConnectorSettings s = TokenFixtures.settings(keys);

        try (TokenRefresher r = TokenRefresher.create(s)) {
            r.token(MAILBOX);
        }

        assertThat(form(0)).containsEntry("refresh_token", "rt-from-file-abc123");
    }

    private static Map<String, String> form(int i) {
        return TestTokenIssuer.form(issuer.requests().get(i).getBodyAsString());
    }
}
