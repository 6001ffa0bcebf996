package io.wal4j.utility;

import static io.wal4j.utility.ConcurrentStructuresTestUtils.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WriteAheadBufferTest {

    /** An entry: a time tick plus an estimated size in bytes. */
    record Entry(long tick, long size) {
    }

    private static final Duration LONG_KEEPALIVE = Duration.ofDays(1);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ExecutorService pool = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "wal4j-test-wab");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    // ---- appending and eviction ----

    @Test
    void appendsGetConsecutiveOffsetsFromZero() {
        try (WriteAheadBuffer<Entry> wab = buffer(1_000, LONG_KEEPALIVE)) {
            assertThat(wab.firstOffset()).isZero();
            assertThat(wab.nextOffset()).isZero();

            assertThat(wab.append(new Entry(10, 5))).isZero();
            assertThat(wab.append(new Entry(20, 7))).isEqualTo(1);
            assertThat(wab.appendAll(List.of(new Entry(30, 1), new Entry(40, 1)))).isEqualTo(2);

            assertThat(wab.firstOffset()).isZero();
            assertThat(wab.nextOffset()).isEqualTo(4);
            assertThat(wab.size()).isEqualTo(4);
            assertThat(wab.bytes()).isEqualTo(14);
        }
    }

    @ParameterizedTest(name = "capacity {0}, sizes {1} → first offset {2}, bytes {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # capacity | entry sizes appended in turn | first offset | bytes retained
            100        | 40 40 20                     | 0            | 100
            100        | 40 40 21                     | 1            | 61
            100        | 40 40 40 40                  | 2            | 80
            100        | 10 10 10 100                 | 3            | 100
            100        | 10 10 10 101                 | 3            | 101
            100        | 500                          | 0            | 500
            100        | 500 500                      | 1            | 500
            1          | 0 0 0 1                      | 0            | 1
            1          | 1 1                          | 1            | 1
            """)
    void evictionByBytesRemovesFromTheHeadButNeverTheLastEntry(long capacity, String sizes, long first,
                                                              long bytes) {
        try (WriteAheadBuffer<Entry> wab = buffer(capacity, LONG_KEEPALIVE)) {
            long tick = 0;
            for (String size : sizes.split(" ")) {
                wab.append(new Entry(++tick, Long.parseLong(size)));
            }

            assertThat(wab.firstOffset()).isEqualTo(first);
            assertThat(wab.bytes()).isEqualTo(bytes);
            assertThat(wab.size()).isEqualTo((int) (tick - first));
        }
    }

    @ParameterizedTest(name = "keepAlive 100 ms, appended at {0} ms, evicted at {1} ms → first offset {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # append times (ms) | evict at (ms) | first offset
            0 10 20             | 99            | 0
            0 10 20             | 100           | 1
            0 10 20             | 109           | 1
            0 10 20             | 110           | 2
            0 10 20             | 119           | 2
            0 10 20             | 120           | 2
            0 10 20             | 100000        | 2
            0 0 0               | 100           | 2
            0                   | 500           | 0
            """)
    void evictionByAgeUsesTheInjectedClockAndNeverRemovesTheLastEntry(String appendTimes, long evictAt,
                                                                     long first) {
        long start = clock.get();
        try (WriteAheadBuffer<Entry> wab = buffer(Long.MAX_VALUE, Duration.ofMillis(100))) {
            long tick = 0;
            for (String t : appendTimes.split(" ")) {
                clock.set(start + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(t)));
                wab.append(new Entry(++tick, 1));
            }
            clock.set(start + TimeUnit.MILLISECONDS.toNanos(evictAt));

            wab.evict();

            assertThat(wab.firstOffset()).isEqualTo(first);
        }
    }

    @Test
    void anAppendEvictsExpiredEntriesAsOfItsOwnTime() {
        try (WriteAheadBuffer<Entry> wab = buffer(Long.MAX_VALUE, Duration.ofSeconds(30))) {
            wab.append(new Entry(1, 1));
            wab.append(new Entry(2, 1));
            clock.addAndGet(Duration.ofSeconds(30).toNanos());

            wab.append(new Entry(3, 1));

            assertThat(wab.firstOffset()).isEqualTo(2);
            assertThat(wab.size()).isEqualTo(1);
        }
    }

    @Test
    void anEmptyAppendAllStoresNothingButStillEvicts() {
        try (WriteAheadBuffer<Entry> wab = buffer(Long.MAX_VALUE, Duration.ofSeconds(1))) {
            wab.append(new Entry(1, 1));
            wab.append(new Entry(2, 1));
            clock.addAndGet(Duration.ofSeconds(1).toNanos());

            assertThat(wab.appendAll(List.of())).isEqualTo(2);

            assertThat(wab.firstOffset()).isEqualTo(1);
            assertThat(wab.nextOffset()).isEqualTo(2);
        }
    }

    @Test
    void theBufferGrowsPastItsInitialSlotsAndKeepsEveryEntryReadable() throws InterruptedException {
        try (WriteAheadBuffer<Entry> wab = buffer(Long.MAX_VALUE, LONG_KEEPALIVE)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.reader(0);
            for (int i = 0; i < 1000; i++) {
                wab.append(new Entry(i, 1));
                if (i % 3 == 0) {
                    wab.evict();
                }
            }

            for (int i = 0; i < 1000; i++) {
                assertThat(reader.next(Duration.ZERO)).isEqualTo(new Entry(i, 1));
            }
            assertThat(reader.poll()).isNull();
        }
    }

    // ---- positioning readers ----

    @Test
    void aReaderAtAnOffsetReadsFromThere() {
        try (WriteAheadBuffer<Entry> wab = filled(10, 20, 30)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.reader(1);

            assertThat(reader.offset()).isEqualTo(1);
            assertThat(reader.poll()).isEqualTo(new Entry(20, 1));
            assertThat(reader.poll()).isEqualTo(new Entry(30, 1));
            assertThat(reader.offset()).isEqualTo(3);
            assertThat(reader.poll()).isNull();
        }
    }

    @Test
    void aReaderAtTheTailSeesOnlyLaterAppends() {
        try (WriteAheadBuffer<Entry> wab = filled(10, 20)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            assertThat(reader.poll()).isNull();

            wab.append(new Entry(30, 1));

            assertThat(reader.poll()).isEqualTo(new Entry(30, 1));
        }
    }

    @Test
    void aReaderAtAnEvictedOffsetIsRefusedWithTheCurrentHead() {
        try (WriteAheadBuffer<Entry> wab = buffer(2, LONG_KEEPALIVE)) {
            for (int i = 0; i < 5; i++) {
                wab.append(new Entry(i, 1));
            }

            assertThatThrownBy(() -> wab.reader(2))
                    .isInstanceOf(EvictedException.class)
                    .hasMessage("offset 2 was evicted; the buffer now starts at offset 3")
                    .extracting(e -> ((EvictedException) e).firstOffset()).isEqualTo(3L);
            assertThat(wab.reader(3).poll()).isEqualTo(new Entry(3, 1));
        }
    }

    @Test
    void aReaderBeyondTheNextOffsetIsABug() {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            assertThatThrownBy(() -> wab.reader(2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("offset 2 is beyond the next offset 1");
        }
    }

    @ParameterizedTest(name = "ticks 10 20 20 30 40, wanted tick > {0} → offset {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # last delivered tick | reader offset (5 = tail)
            10                    | 1
            15                    | 1
            20                    | 3
            29                    | 3
            30                    | 4
            39                    | 4
            40                    | 5
            1000                  | 5
            """)
    void aReaderAtTheFirstWantedEntryStartsRightAfterWhatWasDelivered(long delivered, long offset) {
        try (WriteAheadBuffer<Entry> wab = filled(10, 20, 20, 30, 40)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtFirst(e -> e.tick() > delivered);

            assertThat(reader.offset()).isEqualTo(offset);
            if (offset < 5) {
                assertThat(reader.poll().tick()).isGreaterThan(delivered);
            } else {
                assertThat(reader.poll()).isNull();
            }
        }
    }

    @ParameterizedTest(name = "after eviction, ticks 30 40 50 are left; wanted tick > {0} → evicted")
    @CsvSource({"29", "0", "-1"})
    void aReaderWhoseWantedEntriesMayPrecedeTheHeadIsToldItWasEvicted(long delivered) {
        try (WriteAheadBuffer<Entry> wab = buffer(3, LONG_KEEPALIVE)) {
            for (long tick = 10; tick <= 50; tick += 10) {
                wab.append(new Entry(tick, 1));
            }
            assertThat(wab.firstOffset()).isEqualTo(2);

            assertThatThrownBy(() -> wab.readerAtFirst(e -> e.tick() > delivered))
                    .isInstanceOf(EvictedException.class)
                    .hasMessageContaining("the first retained entry (offset 2) is already wanted");
            assertThat(wab.readerAtFirst(e -> e.tick() > 30).offset()).isEqualTo(3);
        }
    }

    @Test
    void anEmptyBufferCannotPlaceAReaderByPredicate() {
        try (WriteAheadBuffer<Entry> wab = buffer(100, LONG_KEEPALIVE)) {
            assertThatThrownBy(() -> wab.readerAtFirst(e -> true))
                    .isInstanceOf(EvictedException.class)
                    .hasMessageContaining("holds no entry");
        }
    }

    // ---- blocking, eviction and close seen by readers ----

    @Test
    void aBlockedReaderIsWokenByAnAppend() throws Exception {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            Future<Entry> blocked = pool.submit(() -> reader.next());
            awaitTrue(() -> wab.blockedReaders() == 1, "reader blocked at the tail");
            assertThat(blocked).isNotDone();

            wab.append(new Entry(20, 1));

            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(new Entry(20, 1));
        }
    }

    @Test
    void aReaderInATimedNextIsWokenByAnAppend() throws Exception {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            Future<Entry> blocked = pool.submit(() -> reader.next(Duration.ofMinutes(5)));
            awaitTrue(() -> wab.blockedReaders() == 1, "reader blocked at the tail");

            wab.append(new Entry(20, 1));

            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(new Entry(20, 1));
        }
    }

    @Test
    void aTimedNextReturnsNullWhenNothingIsAppendedInTime() throws InterruptedException {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();

            assertThat(reader.next(Duration.ZERO)).isNull();
            assertThat(reader.next(Duration.ofSeconds(-1))).isNull();
            assertThat(reader.next(Duration.ofMillis(5))).isNull();
            assertThat(reader.offset()).isEqualTo(1);
        }
    }

    @Test
    void blockedReadersAreWokenByCloseWithBufferClosedException() throws Exception {
        WriteAheadBuffer<Entry> wab = filled(10);
        List<Future<Entry>> blocked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            boolean timed = i % 2 == 1;
            blocked.add(pool.submit(() -> timed ? reader.next(Duration.ofMinutes(5)) : reader.next()));
        }
        awaitTrue(() -> wab.blockedReaders() == 4, "four readers blocked at the tail");

        wab.close();

        for (Future<Entry> f : blocked) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BufferClosedException.class).hasMessage("write-ahead buffer is closed");
        }
    }

    @Test
    void aReaderThatFellBehindGetsEvictedExceptionAndKeepsGettingIt() throws InterruptedException {
        try (WriteAheadBuffer<Entry> wab = buffer(3, LONG_KEEPALIVE)) {
            wab.append(new Entry(0, 1));
            WriteAheadBuffer.Reader<Entry> reader = wab.reader(0);
            for (int i = 1; i < 10; i++) {
                wab.append(new Entry(i, 1));
            }

            assertThatThrownBy(reader::next)
                    .isInstanceOf(EvictedException.class)
                    .hasMessage("reader offset 0 was evicted; the buffer now starts at offset 7");
            assertThatThrownBy(reader::poll).isInstanceOf(EvictedException.class);
            assertThatThrownBy(() -> reader.next(Duration.ZERO)).isInstanceOf(EvictedException.class);
            assertThat(reader.whenAvailable()).as("poll would throw now, so nothing to wait for").isDone();
        }
    }

    @Test
    void aReaderStillReturnsEntriesItCopiedBeforeTheyWereEvicted() {
        try (WriteAheadBuffer<Entry> wab = buffer(3, LONG_KEEPALIVE)) {
            wab.appendAll(List.of(new Entry(0, 1), new Entry(1, 1), new Entry(2, 1)));
            WriteAheadBuffer.Reader<Entry> reader = wab.reader(0);
            assertThat(reader.poll()).isEqualTo(new Entry(0, 1));

            wab.appendAll(List.of(new Entry(3, 1), new Entry(4, 1), new Entry(5, 1), new Entry(6, 1)));
            assertThat(wab.firstOffset()).isEqualTo(4);

            assertThat(reader.poll()).isEqualTo(new Entry(1, 1));
            assertThat(reader.poll()).isEqualTo(new Entry(2, 1));
            assertThatThrownBy(reader::poll).isInstanceOf(EvictedException.class)
                    .extracting(e -> ((EvictedException) e).firstOffset()).isEqualTo(4L);
        }
    }

    @Test
    void anInterruptedBlockedReaderThrowsInterruptedException() throws Exception {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    reader.next();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "wal4j-test-wab-reader");
            thread.start();
            awaitTrue(() -> wab.blockedReaders() == 1, "reader blocked");

            thread.interrupt();

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(reader.offset()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @CsvSource({"9223372036854775807", "9223372036854775806", "600000000000"})
    void awaitReturnsTrueOnceAnEntryIsAppendedAndLeavesItForPoll(long timeoutNanos) throws Exception {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            Future<Boolean> waiting = pool.submit(() -> reader.await(timeoutNanos));
            awaitTrue(() -> wab.blockedReaders() == 1, "reader parked at the tail");
            assertThat(waiting).isNotDone();

            wab.append(new Entry(20, 1));

            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reader.offset()).as("await consumes nothing").isEqualTo(1);
            assertThat(reader.poll()).isEqualTo(new Entry(20, 1));
        }
    }

    @Test
    void awaitReturnsAtOnceWhenPollWouldReturnOrThrow() throws InterruptedException {
        try (WriteAheadBuffer<Entry> wab = buffer(3, LONG_KEEPALIVE)) {
            wab.append(new Entry(0, 1));
            WriteAheadBuffer.Reader<Entry> reader = wab.reader(0);
            assertThat(reader.await(Long.MAX_VALUE)).as("an entry is there").isTrue();
            for (int i = 1; i < 10; i++) {
                wab.append(new Entry(i, 1));
            }
            assertThat(reader.await(Long.MAX_VALUE)).as("evicted: poll would throw").isTrue();
            assertThatThrownBy(reader::poll).isInstanceOf(EvictedException.class);
            WriteAheadBuffer.Reader<Entry> atTail = wab.readerAtTail();
            wab.close();
            assertThat(atTail.await(Long.MAX_VALUE)).as("closed: poll would throw").isTrue();
            assertThatThrownBy(atTail::poll).isInstanceOf(BufferClosedException.class);
        }
    }

    @Test
    void awaitTimesOutWithFalse() throws InterruptedException {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();

            assertThat(reader.await(0)).isFalse();
            assertThat(reader.await(-5)).isFalse();
            assertThat(reader.await(TimeUnit.MILLISECONDS.toNanos(5))).isFalse();
            assertThat(reader.poll()).isNull();
        }
    }

    @Test
    void wakeUpFromAnotherThreadEndsAnAwaitWithFalse() throws Exception {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            Future<Boolean> waiting = pool.submit(() -> reader.await(Long.MAX_VALUE));
            awaitTrue(() -> wab.blockedReaders() == 1, "reader parked at the tail");

            reader.wakeUp();

            assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(reader.poll()).isNull();
        }
    }

    @Test
    void aWakeUpBeforeAwaitMakesTheNextAwaitReturnAtOnceAndOnlyThatOne() throws InterruptedException {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();

            reader.wakeUp();

            assertThat(reader.await(Long.MAX_VALUE)).isFalse();
            assertThat(reader.await(TimeUnit.MILLISECONDS.toNanos(5))).as("the wake-up was used up").isFalse();
        }
    }

    @Test
    void anInterruptedAwaitThrowsInterruptedException() throws Exception {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    reader.await(Long.MAX_VALUE);
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "wal4j-test-wab-awaiter");
            thread.start();
            awaitTrue(() -> wab.blockedReaders() == 1, "reader parked");

            thread.interrupt();

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void oneBatchWakesEveryOneOfManyParkedReaders() throws Exception {
        // One batch, many parked readers: the writer takes them all off the stack at once; none may be left behind.
        int readers = 64;
        ExecutorService many = Executors.newFixedThreadPool(readers, runnable -> {
            Thread thread = new Thread(runnable, "wal4j-test-wab-many");
            thread.setDaemon(true);
            return thread;
        });
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            for (int round = 0; round < 20; round++) {
                List<Future<Entry>> got = new ArrayList<>();
                for (int r = 0; r < readers; r++) {
                    WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
                    got.add(many.submit(() -> {
                        while (true) {
                            Entry e = reader.poll();
                            if (e != null) {
                                return e;
                            }
                            reader.await(Long.MAX_VALUE);
                        }
                    }));
                }
                awaitTrue(() -> wab.blockedReaders() == readers, "every reader parked");

                Entry sent = new Entry(100 + round, 1);
                wab.appendAll(List.of(sent));

                for (Future<Entry> f : got) {
                    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(sent);
                }
            }
        } finally {
            many.shutdownNow();
            assertThat(many.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void whenAvailableCompletesOnTheNextAppendAndIsReusedUntilThen() throws Exception {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            CompletableFuture<Void> first = reader.whenAvailable();
            assertThat(first).isNotDone();
            assertThat(reader.whenAvailable()).isSameAs(first);

            wab.append(new Entry(20, 1));

            assertThat(first).isCompleted();
            assertThat(reader.whenAvailable()).isCompleted();
            assertThat(reader.poll()).isEqualTo(new Entry(20, 1));
            CompletableFuture<Void> second = reader.whenAvailable();
            assertThat(second).isNotDone().isNotSameAs(first);
        }
    }

    @Test
    void whenAvailableCompletesOnCloseAndPollThenThrows() {
        WriteAheadBuffer<Entry> wab = filled(10);
        WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
        CompletableFuture<Void> waiting = reader.whenAvailable();

        wab.close();

        assertThat(waiting).isCompleted();
        assertThatThrownBy(reader::poll).isInstanceOf(BufferClosedException.class);
    }

    @Test
    void whenAvailableDoesNotRunDependantsUnderTheBuffersLock() throws Exception {
        try (WriteAheadBuffer<Entry> wab = filled(10)) {
            WriteAheadBuffer.Reader<Entry> reader = wab.readerAtTail();
            CompletableFuture<Entry> readInCallback = reader.whenAvailable().thenApply(ignored -> {
                // Another thread must be able to take the lock while this dependant runs on the appender.
                try {
                    return pool.submit(() -> wab.readerAtFirst(e -> e.tick() > 10).poll()).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            wab.append(new Entry(20, 1));

            assertThat(readInCallback.get(10, TimeUnit.SECONDS)).isEqualTo(new Entry(20, 1));
        }
    }

    @Test
    void afterCloseEverythingFailsAndCloseIsIdempotent() {
        WriteAheadBuffer<Entry> wab = filled(10, 20);
        WriteAheadBuffer.Reader<Entry> reader = wab.reader(0);

        wab.close();
        wab.close();

        assertThat(wab.isClosed()).isTrue();
        assertThat(wab.size()).isZero();
        assertThat(wab.bytes()).isZero();
        assertThatThrownBy(() -> wab.append(new Entry(30, 1))).isInstanceOf(BufferClosedException.class);
        assertThatThrownBy(() -> wab.reader(2)).isInstanceOf(BufferClosedException.class);
        assertThatThrownBy(wab::readerAtTail).isInstanceOf(BufferClosedException.class);
        assertThatThrownBy(() -> wab.readerAtFirst(e -> true)).isInstanceOf(BufferClosedException.class);
        assertThatThrownBy(reader::poll).isInstanceOf(BufferClosedException.class);
        assertThatThrownBy(() -> reader.next(Duration.ZERO)).isInstanceOf(BufferClosedException.class);
        wab.evict();
    }

    // ---- real concurrency ----

    @Test
    void manyReadersSeeEveryEntryInOrderWhileTheWriterAppends() throws Exception {
        int entries = 20_000;
        int readers = 8;
        try (WriteAheadBuffer<Entry> wab = buffer(Long.MAX_VALUE, LONG_KEEPALIVE)) {
            wab.append(new Entry(0, 1));
            List<Future<List<Long>>> results = new ArrayList<>();
            CountDownLatch ready = new CountDownLatch(readers);
            for (int r = 0; r < readers; r++) {
                int style = r % 4;
                WriteAheadBuffer.Reader<Entry> reader = wab.reader(0);
                results.add(pool.submit(() -> {
                    ready.countDown();
                    List<Long> seen = new ArrayList<>(entries);
                    while (seen.size() < entries) {
                        seen.add(readOne(reader, style).tick());
                    }
                    return seen;
                }));
            }
            ready.await();
            for (int i = 1; i < entries; i++) {
                wab.append(new Entry(i, 1));
            }

            List<Long> expected = LongStream.range(0, entries).boxed().collect(Collectors.toList());
            for (Future<List<Long>> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        }
    }

    @Test
    void readersOvertakenByEvictionFallBackAndNeverSeeAGapOrDisorderWithinTheBuffer() throws Exception {
        int entries = 20_000;
        int readers = 6;
        try (WriteAheadBuffer<Entry> wab = buffer(50, LONG_KEEPALIVE)) {
            wab.append(new Entry(0, 1));
            CountDownLatch stalledMayRead = new CountDownLatch(1);
            List<Future<long[]>> results = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                boolean stalled = r == 0;
                WriteAheadBuffer.Reader<Entry> start = wab.reader(0);
                results.add(pool.submit(() -> {
                    if (stalled) {
                        stalledMayRead.await();
                    }
                    return readWithFallback(wab, start, entries);
                }));
            }
            for (int i = 1; i < entries; i++) {
                wab.append(new Entry(i, 1));
            }
            assertThat(wab.size()).isEqualTo(50);
            assertThat(wab.firstOffset()).isEqualTo(entries - 50);
            stalledMayRead.countDown();

            for (int r = 0; r < readers; r++) {
                long[] outcome = results.get(r).get(30, TimeUnit.SECONDS);
                assertThat(outcome[0]).as("reader %d reached the last entry", r).isEqualTo(entries - 1);
                if (r == 0) {
                    assertThat(outcome[1]).as("the stalled reader was evicted").isPositive();
                }
            }
        }
    }

    @Test
    void closeRacingWithAppendsEndsTheWriterAndEveryReader() throws Exception {
        WriteAheadBuffer<Entry> wab = buffer(64, LONG_KEEPALIVE);
        wab.append(new Entry(0, 1));
        AtomicLong appended = new AtomicLong(1);
        Future<Throwable> writer = pool.submit(() -> {
            try {
                for (long i = 1; ; i++) {
                    wab.append(new Entry(i, 1));
                    appended.set(i + 1);
                }
            } catch (BufferClosedException expected) {
                return expected;
            }
        });
        List<Future<Throwable>> readers = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            int style = r % 4;
            readers.add(pool.submit(() -> {
                try {
                    WriteAheadBuffer.Reader<Entry> reader = readerAtOrAfter(wab, 0);
                    long expectedTick = reader.offset();
                    while (true) {
                        try {
                            Entry e = readOne(reader, style);
                            assertThat(e.tick()).isEqualTo(expectedTick++);
                        } catch (EvictedException evicted) {
                            reader = readerAtOrAfter(wab, evicted.firstOffset());
                            expectedTick = reader.offset();
                        }
                    }
                } catch (BufferClosedException expected) {
                    return expected;
                }
            }));
        }
        awaitTrue(() -> appended.get() > 5_000, "the writer made progress");

        wab.close();

        assertThat(writer.get(30, TimeUnit.SECONDS)).isInstanceOf(BufferClosedException.class);
        for (Future<Throwable> reader : readers) {
            assertThat(reader.get(30, TimeUnit.SECONDS)).isInstanceOf(BufferClosedException.class);
        }
        assertThat(wab.blockedReaders()).isZero();
    }

    // ---- bad arguments ----

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        assertThatThrownBy(() -> new WriteAheadBuffer<Entry>(0, LONG_KEEPALIVE, Entry::size, clock::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("capacityBytes must be positive, got 0");
        assertThatThrownBy(() -> new WriteAheadBuffer<Entry>(1, Duration.ZERO, Entry::size, clock::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keepAlive must be positive, got PT0S");
        assertThatThrownBy(() -> new WriteAheadBuffer<Entry>(1, null, Entry::size, clock::get))
                .isInstanceOf(NullPointerException.class).hasMessage("keepAlive");
        assertThatThrownBy(() -> new WriteAheadBuffer<Entry>(1, LONG_KEEPALIVE, null, clock::get))
                .isInstanceOf(NullPointerException.class).hasMessage("sizeOf");
        assertThatThrownBy(() -> new WriteAheadBuffer<Entry>(1, LONG_KEEPALIVE, Entry::size, null))
                .isInstanceOf(NullPointerException.class).hasMessage("nanoClock");
        try (WriteAheadBuffer<Entry> wab = buffer(10, LONG_KEEPALIVE)) {
            assertThatThrownBy(() -> wab.append(null)).isInstanceOf(NullPointerException.class).hasMessage("entry");
            List<Entry> withNull = new ArrayList<>();
            withNull.add(new Entry(1, 1));
            withNull.add(null);
            assertThatThrownBy(() -> wab.appendAll(withNull))
                    .isInstanceOf(NullPointerException.class).hasMessage("entries[1]");
            assertThatThrownBy(() -> wab.append(new Entry(1, -3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("size of entries[0] is negative: -3");
            assertThat(wab.size()).as("nothing of a refused batch is stored").isZero();
            assertThatThrownBy(() -> wab.readerAtFirst(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("wanted");
            assertThatThrownBy(() -> wab.readerAtTail().next(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("timeout");
        }
    }

    // ---- helpers ----

    private WriteAheadBuffer<Entry> buffer(long capacity, Duration keepAlive) {
        return new WriteAheadBuffer<>(capacity, keepAlive, Entry::size, clock::get);
    }

    private WriteAheadBuffer<Entry> filled(long... ticks) {
        WriteAheadBuffer<Entry> wab = buffer(Long.MAX_VALUE, LONG_KEEPALIVE);
        for (long tick : ticks) {
            wab.append(new Entry(tick, 1));
        }
        return wab;
    }

    /** Opens a reader at {@code offset}, or at the head if eviction has passed it meanwhile. */
    private static WriteAheadBuffer.Reader<Entry> readerAtOrAfter(WriteAheadBuffer<Entry> wab, long offset) {
        while (true) {
            try {
                return wab.reader(offset);
            } catch (EvictedException evicted) {
                offset = evicted.firstOffset();
            }
        }
    }

    /** Reads one entry in one of four styles: blocking next, timed next, poll plus whenAvailable, poll plus await. */
    private static Entry readOne(WriteAheadBuffer.Reader<Entry> reader, int style) throws Exception {
        while (true) {
            Entry e;
            switch (style) {
                case 0 -> e = reader.next();
                case 1 -> e = reader.next(Duration.ofMillis(50));
                case 2 -> {
                    e = reader.poll();
                    if (e == null) {
                        reader.whenAvailable().get(30, TimeUnit.SECONDS);
                    }
                }
                default -> {
                    e = reader.poll();
                    if (e == null) {
                        reader.await(TimeUnit.SECONDS.toNanos(30));
                    }
                }
            }
            if (e != null) {
                return e;
            }
        }
    }

    /**
     * Reads to {@code lastTick}, checking that each entry directly follows the previous one; on eviction jumps to the
     * new head (where a real scanner would re-read the gap from the backend).
     *
     * @return {last tick read, number of evictions}
     */
    private static long[] readWithFallback(WriteAheadBuffer<Entry> wab, WriteAheadBuffer.Reader<Entry> start,
                                           int entries) throws InterruptedException {
        WriteAheadBuffer.Reader<Entry> reader = start;
        long expected = 0;
        long evictions = 0;
        long last = -1;
        while (last < entries - 1) {
            try {
                Entry e = reader.next();
                assertThat(e.tick()).isEqualTo(expected);
                assertThat(reader.offset()).isEqualTo(expected + 1);
                last = e.tick();
                expected++;
            } catch (EvictedException evicted) {
                assertThat(evicted.firstOffset()).isGreaterThan(expected);
                evictions++;
                reader = readerAtOrAfter(wab, evicted.firstOffset());
                expected = reader.offset();
            }
        }
        return new long[] {last, evictions};
    }
}
