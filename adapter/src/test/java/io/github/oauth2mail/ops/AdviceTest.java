package io.github.oauth2mail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.Advice;
import io.github.oauth2mail.failure.Facts;
import io.github.oauth2mail.failure.FailureKind;
import io.github.oauth2mail.failure.MessageId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one advice table names only keys that exist, for every message ID and every code it knows. */
class AdviceTest {

    static final Facts FACTS = new Facts("t", "a@example.com", "c1", "t1", "smtp.example.com", 587, "XOAUTH2",
            "client-secret");
    static final Pattern KEY = Pattern.compile("oauth2mail\\.t\\.([a-z0-9\\-]+(?:\\.[a-z0-9\\-]+)*)");

    @Test
    void everyAdvice_namesOnlyExistingKeys() {
        List<String> texts = new ArrayList<>();
        for (MessageId id : MessageId.values()) {
            texts.add(Advice.of(FACTS, id, id.kind(), -1, null, false));
        }
        for (String code : List.of("AADSTS7000215", "AADSTS7000222", "AADSTS700016", "AADSTS90002", "AADSTS700027",
                "AADSTS70021", "invalid_scope", "invalid_client", "unauthorized_client", "invalid_grant",
                "invalid_request", "unsupported_grant_type", "io_error", "something_else")) {
            texts.add(Advice.forToken(FACTS, code));
        }
        for (FailureKind kind : FailureKind.values()) {
            for (String es : Arrays.asList("5.7.139", "5.7.3", "4.3.2", "5.2.0", null)) {
                texts.add(Advice.forMailServer(FACTS, MessageId.SMTP_AUTH_FAILED, kind, 535, es, true));
                texts.add(Advice.forMailServer(FACTS, MessageId.SMTP_AUTH_FAILED, kind, 454, es, false));
            }
        }
        texts.add(Advice.forTls(FACTS, true));
        texts.add(Advice.forTls(FACTS, false));
        texts.add(Advice.forUnknownHost(FACTS));
        Set<String> known = Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        for (String t : texts) {
            if (t != null) {
                Matcher m = KEY.matcher(t);
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertThat(named).as("keys named by the advice").contains("smtp.host", "client-secret", "scope")
                .isSubsetOf(known);
    }

    @Test
    void everyFailureId_hasAdvice() {
        for (MessageId id : MessageId.values()) {
            if (id.kind() != FailureKind.OTHER && id != MessageId.TOKEN_REQUEST_REJECTED) {
                assertThat(Advice.of(FACTS, id, id.kind(), -1, null, false)).as(id.id()).isNotBlank();
            }
        }
    }
}
