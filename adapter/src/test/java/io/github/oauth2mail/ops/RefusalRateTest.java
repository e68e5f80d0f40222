package io.github.oauth2mail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue #14: a rising rate of permanent refusals for a mailbox is visible in health before Exchange blocks it. */
class RefusalRateTest {

    static final Instant T0 = Instant.parse("2027-01-04T09:00:00Z");

    @Test
    void rising_tenRefusalsWithinTenMinutes_healthUpWithOam433NamingMailboxAndCode() {
        RefusalRate rate = new RefusalRate();
        for (int i = 0; i < RefusalRate.RISING_AT - 1; i++) {
            rate.record("App@Contoso.com", "550 5.7.1", T0.plusSeconds(i * 30L));
        }
        Instant now = T0.plusSeconds(300);
        assertThat(rate.rising(now)).as("nine refusals are not yet a trend").isNull();

        rate.record("app@contoso.com", "550 5.1.10", now);
        RefusalRate.Rising r = rate.rising(now);
        assertThat(r).isEqualTo(new RefusalRate.Rising("app@contoso.com", 10, "550 5.1.10"));

        Health up = new Health(true, "access token valid", Map.of("mailServer", "h:587"));
        Health h = HealthCheck.withRefusals(up, r);
        assertThat(h.up()).as("mail still flows: readiness stays UP").isTrue();
        assertThat(h.reason()).startsWith("OAM433").contains("app@contoso.com").contains("550 5.1.10")
                .contains("5.2.251");
        assertThat(h.data()).containsEntry("permanentRefusalsInWindow", "10").containsEntry("mailServer", "h:587");
        assertThat(rate.totals()).containsEntry("app@contoso.com", 10L);
    }

    @Test
    void rising_refusalsOlderThanTheWindow_notRising() {
        RefusalRate rate = new RefusalRate();
        for (int i = 0; i < 20; i++) {
            rate.record("a@x", "550 5.7.1", T0.plusSeconds(i));
        }
        assertThat(rate.rising(T0.plus(RefusalRate.WINDOW).plusSeconds(21))).isNull();
        assertThat(rate.totals()).containsEntry("a@x", 20L);
    }

    @Test
    void withRefusals_healthDown_staysDownWithItsOwnReason() {
        Health down = new Health(false, "OAM430 cannot get an access token", Map.of());
        assertThat(HealthCheck.withRefusals(down, new RefusalRate.Rising("a@x", 12, "550 5.7.1"))).isSameAs(down);
    }
}
