package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #14: the per-mailbox budget decreases multiplicatively on 432s and increases additively after successes. */
class MailboxBudgetTest {

    final SendRetryTest.FakeClock clock = new SendRetryTest.FakeClock();
    final List<Integer> changes = new ArrayList<>();
    final MailboxBudget budget = new MailboxBudget(3, clock, changes::add);

    @Test
    void tooManySessions_burstOfRefusals_halvedOnceNotBelowOne() {
        budget.tooManySessions();
        budget.tooManySessions();
        budget.tooManySessions();
        assertThat(budget.limit()).as("one burst lowers once").isEqualTo(1);
        clock.advance(5_000);
        budget.tooManySessions();
        assertThat(budget.limit()).as("never below 1").isEqualTo(1);
        assertThat(changes).containsExactly(1);
    }

    @Test
    void succeeded_afterLowering_raisedByOneOnlyAfterEnoughSendsAndTime() {
        MailboxBudget b = new MailboxBudget(4, clock, changes::add);
        b.tooManySessions();
        assertThat(b.limit()).isEqualTo(2);
        for (int i = 0; i < 100; i++) {
            b.succeeded();
        }
        assertThat(b.limit()).as("not before the raise interval").isEqualTo(2);
        clock.advance(MailboxBudget.RAISE_INTERVAL.toMillis());
        for (int i = 0; i < MailboxBudget.RAISE_AFTER_SENDS - 1; i++) {
            b.succeeded();
        }
        assertThat(b.limit()).isEqualTo(3);
        for (int i = 0; i < MailboxBudget.RAISE_AFTER_SENDS; i++) {
            b.succeeded();
        }
        assertThat(b.limit()).as("one step per interval").isEqualTo(3);
        clock.advance(MailboxBudget.RAISE_INTERVAL.toMillis());
        for (int i = 0; i < MailboxBudget.RAISE_AFTER_SENDS; i++) {
            b.succeeded();
        }
        assertThat(b.limit()).isEqualTo(4);
        clock.advance(MailboxBudget.RAISE_INTERVAL.toMillis());
        for (int i = 0; i < MailboxBudget.RAISE_AFTER_SENDS; i++) {
            b.succeeded();
        }
        assertThat(b.limit()).as("never above max-connections-per-mailbox").isEqualTo(4);
        assertThat(changes).containsExactly(2, 3, 4);
    }

    @Test
    void acquire_atLoweredLimit_waitsBoundedAndGetsTheSlotWhenReleased() throws Exception {
        assertThat(budget.acquire(Duration.ZERO)).isTrue();
        assertThat(budget.acquire(Duration.ZERO)).isTrue();
        budget.tooManySessions();
        assertThat(budget.acquire(Duration.ZERO)).as("2 in use, limit now 1").isFalse();
        budget.release();
        assertThat(budget.acquire(Duration.ZERO)).as("still 1 in use").isFalse();
        budget.release();
        assertThat(budget.acquire(Duration.ZERO)).isTrue();
        assertThat(budget.inUse()).isEqualTo(1);
    }
}
