package io.wal4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.AppendResult;
import io.wal4j.api.Durability;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.MessageId;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AppendTallyTest {

    private final AppendTally tally = new AppendTally(4);

    @Test
    void acknowledgementsAreRecordedBySequenceNumberAndDurability() {
        tally.record(2, result(7, Durability.DISK), null);
        tally.record(0, result(8, Durability.OS), null);
        tally.record(1, result(9, Durability.DISK), null);

        assertThat(tally.acknowledged()).isEqualTo(3);
        assertThat(tally.failed()).isZero();
        assertThat(tally.acknowledgedIds().get(2)).isEqualTo(new Id(7));
        assertThat(tally.acknowledgedIds().get(3)).isNull();
        assertThat(tally.durabilities()).isEqualTo(Map.of(Durability.OS, 1L, Durability.DISK, 2L));
        assertThat(tally.lastAckNanos()).isPositive();
    }

    @Test
    void failuresAreCountedKeepingTheFirstUnwrapped() {
        WALClosedException closed = new WALClosedException("closed");
        tally.record(0, null, new CompletionException(closed));
        tally.record(1, null, new IllegalStateException("second"));

        assertThat(tally.failed()).isEqualTo(2);
        assertThat(tally.firstFailure()).isSameAs(closed);
        assertThat(tally.acknowledged()).isZero();
        assertThat(tally.durabilities()).isEmpty();
        assertThat(tally.lastAckNanos()).isZero();
    }

    private static AppendResult result(long id, Durability durability) {
        return new AppendResult(new Id(id), 0, Optional.empty(), durability, Map.of());
    }

    private record Id(long value) implements MessageId {
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
            return Long.compare(value, ((Id) other).value);
        }
    }
}
