package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class ReorderStageTest {

    private final List<ImmutableMessage> out = new ArrayList<>();
    private int pending;
    private final ReorderStage stage = new ReorderStage(() -> pending);

    private static ImmutableMessage data(long id, long tick) {
        return MutableMessage.newBuilder().build().withTimeTick(tick)
                .toImmutable(new TimeTickSyncOperatorTest.FakeId(id));
    }

    private static ImmutableMessage tick(long id, long tick, boolean persisted) {
        MutableMessage m = MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build().withTimeTick(tick);
        if (!persisted) {
            m.withNotPersisted();
        }
        return m.toImmutable(new TimeTickSyncOperatorTest.FakeId(id));
    }

    private void push(ImmutableMessage m) {
        stage.accept(m, out::add);
    }

    @Test
    void messagesStoredOutOfTickOrderAreReleasedInTickOrderByATimeTick() {
        push(data(1, 30));
        push(data(2, 10));
        push(data(3, 50)); // above the coming tick: stays held
        push(data(4, 20));
        assertThat(out).isEmpty();
        push(tick(5, 40, true));
        assertThat(out).extracting(ImmutableMessage::timeTick).containsExactly(10L, 20L, 30L, 40L);
        assertThat(stage.held()).isEqualTo(1);
    }

    @Test
    void aDuplicateIdIsDroppedAndALateMessageCountsAsAViolation() {
        push(data(1, 10));
        push(data(1, 10));
        push(tick(2, 20, true));
        push(data(3, 15)); // below the released tick 20
        push(tick(4, 30, true));
        assertThat(out).extracting(ImmutableMessage::timeTick).containsExactly(10L, 20L, 30L);
        assertThat(stage.duplicates()).isEqualTo(1);
        assertThat(stage.violations()).isEqualTo(1);
    }

    @Test
    void aNotPersistedTickIsEmittedOnlyWhenNothingIsPending() {
        push(tick(1, 10, false));
        assertThat(out).extracting(ImmutableMessage::timeTick).containsExactly(10L);
        pending = 3;
        push(tick(2, 20, false));
        assertThat(out).hasSize(1);
        pending = 0;
        push(data(3, 25));
        push(tick(4, 30, false)); // releases data: the tick itself is not needed
        assertThat(out).extracting(ImmutableMessage::timeTick).containsExactly(10L, 25L);
        push(tick(5, 40, true)); // persisted ticks always pass
        assertThat(out).extracting(ImmutableMessage::timeTick).containsExactly(10L, 25L, 40L);
    }

    @Test
    void aTickThatOnlyReleasedDataDoesNotHideTheSameTickArrivingPersisted() {
        // The persisted copy of a tick (met again after a catch-up/tail switch) must still pass: only emitted ticks
        // count, and the not persisted one emitted just the data below it.
        push(data(1, 25));
        push(tick(2, 30, false));
        push(tick(3, 30, true));
        assertThat(out).extracting(ImmutableMessage::timeTick).containsExactly(25L, 30L);
        assertThat(out.get(1).isPersisted()).isTrue();
    }

    @Test
    void manyInOrderMessagesAreHeldAndReleasedInOrderAcrossTicks() {
        for (long id = 1; id <= 300; id++) {
            push(data(id, id * 10));
            if (id % 50 == 0) {
                push(tick(1000 + id, id * 10 - 5, true));
            }
        }
        push(tick(2000, 5000, true));
        List<Long> ticks = out.stream().map(ImmutableMessage::timeTick).toList();
        assertThat(ticks).isSorted().doesNotHaveDuplicates();
        assertThat(out.stream().filter(m -> !m.messageType().isSystem()).count()).isEqualTo(300);
        assertThat(stage.held()).isZero();
    }

    @Test
    void ticksReachTheConsumerStrictlyIncreasing() {
        push(tick(1, 10, true));
        push(tick(2, 10, true));
        push(tick(3, 5, true));
        assertThat(out).extracting(ImmutableMessage::timeTick).containsExactly(10L);
    }

    @Test
    void aMessageWithoutTimeTickPassesStraightThrough() {
        ImmutableMessage plain = MutableMessage.newBuilder().build().toImmutable(new TimeTickSyncOperatorTest.FakeId(7));
        push(plain);
        assertThat(out).containsExactly(plain);
    }
}
