package io.wal4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.ImmutableMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The default {@link ReadOnlyWALImpls#readLast()}: reads to the end with non-waiting polls, closes its scanner. */
class ReadOnlyWALImplsTest {

    /** A channel holding a fixed list of messages; its scanners never wait. */
    private static final class ListWAL implements ReadOnlyWALImpls {
        final List<ImmutableMessage> messages = new ArrayList<>();
        final List<ReadOptionImpls> reads = new ArrayList<>();
        int openScanners;

        @Override
        public String walName() {
            return "list";
        }

        @Override
        public PChannelInfo channel() {
            return PChannelInfo.readOnly("list", 1);
        }

        @Override
        public ScannerImpls read(ReadOptionImpls option) {
            reads.add(option);
            openScanners++;
            ArrayDeque<ImmutableMessage> left = new ArrayDeque<>(messages);
            return new ScannerImpls() {
                @Override
                public String name() {
                    return option.name();
                }

                @Override
                public ImmutableMessage poll(Duration timeout) {
                    return left.pollFirst();
                }

                @Override
                public ImmutableMessage take() {
                    throw new AssertionError("readLast must not wait");
                }

                @Override
                public CompletableFuture<Void> done() {
                    return new CompletableFuture<>();
                }

                @Override
                public void close() {
                    openScanners--;
                }
            };
        }

        @Override
        public void close() {
        }
    }

    @Test
    void readLastReturnsTheMessageWithTheLargestIdAndClosesItsScanner() {
        ListWAL wal = new ListWAL();
        for (long i = 0; i < 5; i++) {
            wal.messages.add(ImmutableMessage.of(new TestMessageId("list", i), new byte[0], Map.of()));
        }
        assertThat(wal.readLast()).hasValueSatisfying(m -> assertThat(m.id()).isEqualTo(new TestMessageId("list", 4)));
        assertThat(wal.reads).singleElement().satisfies(o -> assertThat(o.deliverPolicy()).isEqualTo(DeliverPolicy.all()));
        assertThat(wal.openScanners).isZero();
    }

    @Test
    void readLastOfAnEmptyChannelIsEmpty() {
        assertThat(new ListWAL().readLast()).isEmpty();
    }
}
