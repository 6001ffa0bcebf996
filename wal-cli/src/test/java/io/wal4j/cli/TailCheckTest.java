package io.wal4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class TailCheckTest {

    private static final String RUN = "run-1";
    private final DemoMessages messages = new DemoMessages(RUN, 4);
    private final TailCheck check = new TailCheck(messages, 3);
    private final AtomicReferenceArray<MessageId> acked = new AtomicReferenceArray<>(3);

    @Test
    void everyAcknowledgedMessageDeliveredOnceInOrderLeavesNoProblem() {
        for (int seq = 0; seq < 3; seq++) {
            ack(seq, seq * 10L);
            check.accept(delivered(seq, seq * 10L), System.nanoTime());
        }

        assertThat(check.problems(acked)).isEmpty();
        assertThat(check.delivered()).isEqualTo(3);
    }

    @Test
    void lagsAreTheTimesFromSendToDeliverySortedAscending() {
        ack(0, 1);
        ack(1, 2);
        check.accept(messages.build(0, 1_000).withTimeTick(1).toImmutable(new TestId(1)), 1_500);
        check.accept(messages.build(1, 1_100).withTimeTick(2).toImmutable(new TestId(2)), 1_300);

        assertThat(check.sortedLagNanos()).containsExactly(200, 500);
        assertThat(check.lastDeliveryNanos()).isEqualTo(1_300);
    }

    @Test
    void aMessageDeliveredTwiceIsReportedAsADuplicate() {
        ack(0, 1);
        check.accept(delivered(0, 1), 0);
        check.accept(delivered(0, 2), 0);

        assertThat(check.duplicates()).isEqualTo(1);
        assertThat(check.problems(acked)).anyMatch(p -> p.contains("message 0 delivered twice"))
                .anyMatch(p -> p.equals("1 duplicate deliveries"));
    }

    @Test
    void aTimeTickNotGreaterThanThePreviousOneIsReportedOutOfOrder() {
        ack(0, 5);
        ack(1, 4);
        check.accept(delivered(0, 5), 0);
        check.accept(delivered(1, 4), 0);

        assertThat(check.outOfOrder()).isEqualTo(1);
        assertThat(check.problems(acked))
                .anyMatch(p -> p.contains("time tick 4 of test:4 delivered after time tick 5"));
    }

    @Test
    void idsMayInterleaveWhileTimeTicksIncrease() {
        ack(0, 5);
        ack(1, 4);
        check.accept(delivered(0, 5, 10), 0);
        check.accept(delivered(1, 4, 11), 0);

        assertThat(check.outOfOrder()).isZero();
        assertThat(check.problems(acked)).isEmpty();
    }

    @Test
    void aDataMessageWithoutATimeTickIsReported() {
        ack(0, 1);
        check.accept(messages.build(0, 0).toImmutable(new TestId(1)), 0);

        assertThat(check.problems(acked)).anyMatch(p -> p.contains("test:1 carries no time tick"));
    }

    @Test
    void anAcknowledgedMessageNeverDeliveredIsReportedMissing() {
        ack(0, 1);
        ack(1, 2);
        check.accept(delivered(0, 1), 0);

        assertThat(check.problems(acked))
                .contains("message 1 acknowledged as test:2 but never delivered",
                        "1 acknowledged messages never delivered");
    }

    @Test
    void aMessageDeliveredUnderAnotherIdThanAcknowledgedIsReported() {
        ack(0, 1);
        check.accept(delivered(0, 7), 0);

        assertThat(check.problems(acked)).contains("message 0 acknowledged as test:1 but delivered as test:7");
    }

    @Test
    void messagesOfEarlierRunsAreCountedButNotChecked() {
        MutableMessage earlier = new DemoMessages("run-0", 4).build(0, 0);
        check.accept(earlier.withTimeTick(1).toImmutable(new TestId(1)), 0);
        ack(0, 2);
        check.accept(delivered(0, 2), 0);

        assertThat(check.earlierRuns()).isEqualTo(1);
        assertThat(check.delivered()).isEqualTo(1);
        assertThat(check.problems(acked)).isEmpty();
    }

    @Test
    void systemMessagesAreSkipped() {
        ImmutableMessage tick = MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build()
                .toImmutable(new TestId(1));
        check.accept(tick, 0);

        assertThat(check.systemMessages()).isEqualTo(1);
        assertThat(check.delivered()).isZero();
        assertThat(check.problems(acked)).isEmpty();
    }

    @Test
    void aMessageOfThisRunWithoutAValidSequenceNumberIsReported() {
        ImmutableMessage bad = MutableMessage.newBuilder().property(DemoMessages.RUN, RUN)
                .property(DemoMessages.SEQ, "99").build().toImmutable(new TestId(1));
        check.accept(bad, 0);

        assertThat(check.problems(acked)).anyMatch(p -> p.contains("carries no valid sequence number: 99"));
    }

    private void ack(int seq, long id) {
        acked.set(seq, new TestId(id));
    }

    /** A delivered message whose time tick equals its id, unless said otherwise. */
    private ImmutableMessage delivered(int seq, long id) {
        return delivered(seq, id, id);
    }

    private ImmutableMessage delivered(int seq, long id, long timeTick) {
        return messages.build(seq, System.nanoTime()).withTimeTick(timeTick).toImmutable(new TestId(id));
    }

    /** A minimal id: a long under the backend name "test". */
    private record TestId(long value) implements MessageId {
        @Override
        public String walName() {
            return "test";
        }

        @Override
        public byte[] marshal() {
            return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
        }

        @Override
        public int compareTo(MessageId other) {
            return Long.compare(value, ((TestId) other).value);
        }

        @Override
        public String toString() {
            return "test:" + value;
        }
    }
}
