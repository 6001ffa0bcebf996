package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryMessageId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartPositionStageTest {

    private static ImmutableMessage data(long id) {
        return MutableMessage.newBuilder().build().toImmutable(MemoryMessageId.of(id));
    }

    private static List<Long> pass(DeliverPolicy policy, ImmutableMessage... messages) {
        ScanStage stage = StartPositionStage.forPolicy(policy).orElseThrow();
        List<Long> out = new ArrayList<>();
        for (ImmutableMessage message : messages) {
            stage.accept(message, m -> out.add(((MemoryMessageId) m.id()).offset()));
        }
        return out;
    }

    @Test
    void startFromDropsDataBeforeTheIdAndKeepsTheIdItself() {
        assertThat(pass(DeliverPolicy.startFrom(MemoryMessageId.of(5)), data(7), data(4), data(5), data(9)))
                .containsExactly(7L, 5L, 9L);
    }

    @Test
    void startAfterAlsoDropsTheIdItself() {
        assertThat(pass(DeliverPolicy.startAfter(MemoryMessageId.of(5)), data(7), data(4), data(5), data(9)))
                .containsExactly(7L, 9L);
    }

    @Test
    void systemMessagesPassWhateverTheirId() {
        ImmutableMessage tick = MutableMessage.newBuilder().build().withReservedProperty("_t",
                MessageType.TIME_TICK.name()).toImmutable(MemoryMessageId.of(1));
        assertThat(pass(DeliverPolicy.startAfter(MemoryMessageId.of(5)), tick)).containsExactly(1L);
    }

    @Test
    void allNeedsNoStage() {
        assertThat(StartPositionStage.forPolicy(DeliverPolicy.all())).isEmpty();
    }

    @Test
    void latestStartsAtTheFirstMessageReceivedAndDropsEarlierDataMetLaterInTheBuffer() {
        ImmutableMessage tick = MutableMessage.newBuilder().build().withReservedProperty("_t",
                MessageType.TIME_TICK.name()).toImmutable(MemoryMessageId.of(3));
        assertThat(pass(DeliverPolicy.latest(), data(12), data(11), tick, data(12), data(13)))
                .containsExactly(12L, 3L, 12L, 13L);
    }
}
