package io.wal4j.impls.memory;

import static io.wal4j.impls.memory.MemoryTestUtils.append;
import static io.wal4j.impls.memory.MemoryTestUtils.failure;
import static io.wal4j.impls.memory.MemoryTestUtils.get;
import static io.wal4j.impls.memory.MemoryTestUtils.message;
import static io.wal4j.impls.memory.MemoryTestUtils.n;
import static io.wal4j.impls.memory.MemoryTestUtils.offset;
import static io.wal4j.impls.memory.MemoryTestUtils.openRW;
import static io.wal4j.impls.memory.MemoryTestUtils.opener;
import static io.wal4j.impls.memory.MemoryTestUtils.read;
import static io.wal4j.impls.memory.MemoryTestUtils.readAll;
import static io.wal4j.impls.memory.MemoryTestUtils.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MemoryWALTest {

    private final MemoryOpenerBuilder builder = new MemoryOpenerBuilder();
    private final OpenerImpls opener = opener(builder);

    @AfterEach
    void closeOpener() {
        opener.close();
    }

    @Test
    void appendsGetDenseIncreasingIdsAndReadBackWithPayloadAndProperties() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            MutableMessage typed = MutableMessage.newBuilder().payload(new byte[] {1, 2, 3})
                    .property("k", "v").messageType(MessageType.TIME_TICK).vchannel("v1").build();
            assertThat(get(wal.append(typed, Durability.MEMORY))).isEqualTo(MemoryMessageId.of(0));
            assertThat(append(wal, 1)).isEqualTo(MemoryMessageId.of(1));

            List<ImmutableMessage> read = readAll(wal);
            assertThat(read).extracting(ImmutableMessage::id)
                    .containsExactly(MemoryMessageId.of(0), MemoryMessageId.of(1));
            assertThat(read.get(0).payload()).containsExactly(1, 2, 3);
            assertThat(read.get(0).properties()).isEqualTo(typed.properties());
            assertThat(read.get(0).messageType()).isEqualTo(MessageType.TIME_TICK);
            assertThat(read.get(0).vchannel()).isEqualTo("v1");
            assertThat(new String(read.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("m1");
        }
    }

    @Test
    void walNameAndChannelAreAsOpened() {
        try (WALImpls wal = openRW(opener, "chan", 7)) {
            assertThat(wal.walName()).isEqualTo("memory");
            assertThat(wal.channel()).isEqualTo(PChannelInfo.readWrite("chan", 7));
        }
    }

    @Test
    void manyConcurrentAppendersAndReadersSeeOneOrderWithDenseIds() throws Exception {
        int threads = 8;
        int perThread = 400;
        int total = threads * perThread;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
        try (WALImpls wal = openRW(opener, "c", 1);
             ScannerImpls early = read(wal, "early", DeliverPolicy.all())) {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<MessageId>>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                writers.add(pool.submit(() -> {
                    start.await();
                    List<MessageId> ids = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        ids.add(append(wal, base + i));
                    }
                    return ids;
                }));
            }
            Future<List<ImmutableMessage>> earlyRead = pool.submit(() -> take(early, total));
            Future<List<ImmutableMessage>> lateRead = pool.submit(() -> {
                try (ScannerImpls late = read(wal, "late", DeliverPolicy.all())) {
                    return take(late, total);
                }
            });

            List<Long> written = new ArrayList<>();
            for (Future<List<MessageId>> writer : writers) {
                List<Long> own = writer.get().stream().map(MemoryTestUtils::offset).toList();
                // Each thread waited for its append before the next: its ids must increase.
                assertThat(own).isSorted().doesNotHaveDuplicates();
                written.addAll(own);
            }
            assertThat(written).containsExactlyInAnyOrderElementsOf(
                    LongStream.range(0, total).boxed().toList());
            for (Future<List<ImmutableMessage>> reader : List.of(earlyRead, lateRead)) {
                List<ImmutableMessage> seen = reader.get();
                assertThat(seen).extracting(m -> offset(m.id()))
                        .containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
                assertThat(seen).extracting(MemoryTestUtils::n).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, total).boxed().toList());
                assertThat(seen).allSatisfy(m -> assertThat(m.property("const")).isEqualTo("t"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dataSurvivesCloseAndReopenAtLaterTerms() {
        for (long term = 1; term <= 3; term++) {
            try (WALImpls wal = openRW(opener, "c", term)) {
                append(wal, term);
                assertThat(readAll(wal)).extracting(MemoryTestUtils::n)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, term).boxed().toList());
            }
        }
    }

    @Test
    void mutatingReadPayloadsOrTheAppendedSourceCannotChangeStoredData() {
        byte[] source = {10, 20, 30};
        try (WALImpls wal = openRW(opener, "c", 1)) {
            get(wal.append(MutableMessage.newBuilder().payload(source).property("k", "v").build(),
                    Durability.MEMORY));
            source[0] = 99;
            ImmutableMessage first = readAll(wal).get(0);
            byte[] returned = first.payload();
            returned[1] = 99;
            ImmutableMessage again = readAll(wal).get(0);
            assertThat(again.payload()).containsExactly(10, 20, 30);
            assertThat(again.properties()).isEqualTo(Map.of("k", "v"));
            assertThatThrownBy(() -> again.properties().put("k", "w"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void appendingTheSameMutableMessageTwiceStoresTwoIndependentCopies() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            MutableMessage m = message(1);
            get(wal.append(m, Durability.MEMORY));
            m.withTimeTick(5);
            get(wal.append(m, Durability.MEMORY));
            List<ImmutableMessage> read = readAll(wal);
            assertThat(read.get(0).hasTimeTick()).isFalse();
            assertThat(read.get(1).timeTick()).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"OS", "DISK", "REPLICATED"})
    void appendAtAnUnsupportedDurabilityFailsWithIllegalArgumentException(Durability level) {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            assertThat(failure(wal.append(message(1), level))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(level.name());
            assertThat(readAll(wal)).isEmpty();
        }
    }

    @Test
    void appendOfNullsFailsTheFutureWithNullPointerExceptionInsteadOfThrowing() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            assertThat(failure(wal.append(null, Durability.MEMORY))).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("message");
            assertThat(failure(wal.append(message(1), null))).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("durability");
            assertThat(failure(wal.truncate(null))).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("id");
        }
    }

    @Test
    void aMessageOverTheLimitFailsWithMessageTooLargeExceptionAndIsNotStored() {
        int limit = Math.toIntExact(builder.capabilities().maxMessageBytes());
        try (WALImpls wal = openRW(opener, "c", 1)) {
            MutableMessage big = MutableMessage.newBuilder().payload(new byte[limit]).property("k", "v").build();
            assertThat(failure(wal.append(big, Durability.MEMORY))).isInstanceOf(MessageTooLargeException.class);
            assertThat(append(wal, 1)).isEqualTo(MemoryMessageId.of(0));
        }
    }

    @Test
    void callsAfterCloseFailWithWALClosedException() {
        WALImpls wal = openRW(opener, "c", 1);
        MessageId id = append(wal, 1);
        wal.close();
        assertThat(failure(wal.append(message(2), Durability.MEMORY))).isInstanceOf(WALClosedException.class)
                .hasMessageContaining("c:rw@1");
        assertThat(failure(wal.truncate(id))).isInstanceOf(WALClosedException.class);
        assertThatThrownBy(() -> read(wal, "s", DeliverPolicy.all())).isInstanceOf(WALClosedException.class);
    }

    @Test
    void closeIsIdempotent() {
        WALImpls wal = openRW(opener, "c", 1);
        wal.close();
        wal.close();
        assertThat(failure(wal.append(message(1), Durability.MEMORY))).isInstanceOf(WALClosedException.class);
    }

    @Test
    void truncateDropsEverythingUpToAndIncludingTheIdAndIdsKeepIncreasing() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            List<MessageId> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(append(wal, i));
            }
            get(wal.truncate(ids.get(2)));
            assertThat(readAll(wal)).extracting(MemoryTestUtils::n).containsExactly(3L, 4L);
            assertThat(append(wal, 5)).isEqualTo(MemoryMessageId.of(5));
            assertThat(builder.store("default").acknowledgedCount("c")).isEqualTo(3);
        }
        try (WALImpls wal = openRW(opener, "c", 2)) {
            assertThat(readAll(wal)).extracting(MemoryTestUtils::n).containsExactly(3L, 4L, 5L);
        }
    }

    @Test
    void truncatingPastTheLastMessageDropsAllAndTheNextIdDoesNotRestart() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            append(wal, 0);
            append(wal, 1);
            get(wal.truncate(MemoryMessageId.of(1_000)));
            assertThat(readAll(wal)).isEmpty();
            assertThat(append(wal, 2)).isEqualTo(MemoryMessageId.of(2));
            get(wal.truncate(MemoryMessageId.of(0)));
            assertThat(readAll(wal)).extracting(MemoryTestUtils::n).containsExactly(2L);
        }
    }

    @Test
    void aScannerPositionedBeforeTheTruncationPointContinuesAtTheFirstRetainedMessage() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            for (int i = 0; i < 6; i++) {
                append(wal, i);
            }
            try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.all());
                 ScannerImpls fromOne = read(wal, "from1", DeliverPolicy.startFrom(MemoryMessageId.of(1)))) {
                assertThat(n(take(scanner, 1).get(0))).isZero();
                get(wal.truncate(MemoryMessageId.of(3)));
                assertThat(take(scanner, 2)).extracting(MemoryTestUtils::n).containsExactly(4L, 5L);
                assertThat(n(take(fromOne, 1).get(0))).isEqualTo(4);
            }
        }
    }

    @Test
    void truncateWithAnotherBackendsIdFailsWithInvalidMessageIdException() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            append(wal, 0);
            assertThat(failure(wal.truncate(new MemoryTestUtils.ForeignId(0))))
                    .isInstanceOf(InvalidMessageIdException.class).hasMessageContaining("foreign");
            assertThat(readAll(wal)).hasSize(1);
        }
    }

    @Test
    void readWithAnotherBackendsIdThrowsInvalidMessageIdException() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            MessageId foreign = new MemoryTestUtils.ForeignId(3);
            assertThatThrownBy(() -> read(wal, "s", DeliverPolicy.startFrom(foreign)))
                    .isInstanceOf(InvalidMessageIdException.class).hasMessageContaining("foreign:3");
            assertThatThrownBy(() -> read(wal, "s", DeliverPolicy.startAfter(foreign)))
                    .isInstanceOf(InvalidMessageIdException.class);
            assertThatThrownBy(() -> wal.read(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void openingAtAHigherTermFencesTheOlderWriterForever() {
        WALImpls old = openRW(opener, "c", 1);
        try (old; WALImpls newer = openRW(opener, "c", 2)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThat(failure(old.append(message(attempt), Durability.MEMORY)))
                        .isInstanceOfSatisfying(ChannelFencedException.class, e -> {
                            assertThat(e.channel()).isEqualTo("c");
                            assertThat(e.term()).isEqualTo(1);
                            assertThat(e).hasMessageContaining("term 2");
                        });
            }
            assertThat(failure(old.truncate(MemoryMessageId.of(0)))).isInstanceOf(ChannelFencedException.class);
            append(newer, 7);
            assertThat(readAll(old)).extracting(MemoryTestUtils::n).containsExactly(7L);
            try (WALImpls third = openRW(opener, "c", 3)) {
                assertThat(failure(newer.append(message(8), Durability.MEMORY)))
                        .isInstanceOf(ChannelFencedException.class);
                append(third, 9);
            }
        }
    }

    @Test
    void openingAtALowerTermThanTheChannelHasSeenFailsWithChannelFencedException() {
        try (WALImpls wal = openRW(opener, "c", 5)) {
            append(wal, 1);
        }
        assertThatThrownBy(() -> openRW(opener, "c", 4)).isInstanceOfSatisfying(ChannelFencedException.class, e -> {
            assertThat(e.term()).isEqualTo(4);
            assertThat(e).hasMessageContaining("term 5");
        });
        try (WALImpls again = openRW(opener, "c", 5)) {
            assertThat(append(again, 2)).isEqualTo(MemoryMessageId.of(1));
        }
    }

    @Test
    void aWriterOpeningAtTheSameTermTakesOverFromALiveWriter() {
        try (WALImpls first = openRW(opener, "c", 3); WALImpls second = openRW(opener, "c", 3)) {
            assertThat(failure(first.append(message(1), Durability.MEMORY)))
                    .isInstanceOf(ChannelFencedException.class);
            append(second, 2);
        }
    }

    @Test
    void fencingIsPerChannelAndSharedByEveryOpenerOfTheStore() {
        try (OpenerImpls other = opener(builder); WALImpls a = openRW(opener, "a", 1);
             WALImpls b = openRW(opener, "b", 1); WALImpls a2 = openRW(other, "a", 2)) {
            assertThat(failure(a.append(message(1), Durability.MEMORY))).isInstanceOf(ChannelFencedException.class);
            append(b, 1);
            append(a2, 1);
        }
    }

    @Test
    void closeRacingWithAppendsCompletesEveryFutureAndLosesNoAcknowledgedAppend() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        WALImpls wal = openRW(opener, "c", 1);
        try {
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            List<Future<List<CompletableFuture<MessageId>>>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * 1_000_000;
                writers.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<MessageId>> futures = new ArrayList<>();
                    for (int i = 0; ; i++) {
                        CompletableFuture<MessageId> f = wal.append(message(base + i), Durability.MEMORY);
                        futures.add(f);
                        if (f.isCompletedExceptionally()) {
                            return futures;
                        }
                    }
                }));
            }
            start.await();
            wal.close();
            List<Long> acknowledged = new ArrayList<>();
            for (Future<List<CompletableFuture<MessageId>>> writer : writers) {
                List<CompletableFuture<MessageId>> futures = writer.get();
                assertThat(futures).allMatch(CompletableFuture::isDone);
                CompletableFuture<MessageId> last = futures.get(futures.size() - 1);
                assertThat(failure(last)).isInstanceOf(WALClosedException.class);
                futures.stream().filter(f -> !f.isCompletedExceptionally())
                        .forEach(f -> acknowledged.add(offset(f.join())));
            }
            try (WALImpls reopened = openRW(opener, "c", 2)) {
                assertThat(readAll(reopened)).extracting(m -> offset(m.id()))
                        .containsExactlyElementsOf(acknowledged.stream().sorted().collect(Collectors.toList()));
            }
        } finally {
            wal.close();
            pool.shutdownNow();
        }
    }
}
