package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettleBudgetTest {

    @Test
    void aSettleMayTakeHalfTheAverageForceTimeButNoMoreThanTheMaximum() {
        SettleBudget budget = new SettleBudget(1_000_000);
        assertThat(budget.nanos()).as("no force yet").isZero();
        budget.forced(800_000);
        assertThat(budget.nanos()).isEqualTo(400_000);
        budget.forced(4_000_000);
        assertThat(budget.nanos()).as("the average moved by an eighth of the difference").isEqualTo(600_000);
        budget.forced(80_000_000);
        assertThat(budget.nanos()).as("the maximum caps it").isEqualTo(1_000_000);
        SettleBudget off = new SettleBudget(0);
        off.forced(800_000);
        assertThat(off.nanos()).isZero();
    }

    @Test
    void timeoutsHalveTheSettleDownToAFloorAndASettleThatGetsItsAppendersBackRestoresIt() {
        SettleBudget budget = new SettleBudget(Long.MAX_VALUE);
        budget.forced(3_200_000);
        assertThat(budget.nanos()).isEqualTo(1_600_000);
        budget.settled(false);
        assertThat(budget.nanos()).isEqualTo(800_000);
        for (int i = 0; i < 10; i++) {
            budget.settled(false);
        }
        assertThat(budget.nanos()).isEqualTo(3_200_000 / SettleBudget.MAX_DIVISOR);
        budget.settled(true);
        assertThat(budget.nanos()).isEqualTo(1_600_000);
    }
}
