package io.wal4j.impls.memory;

import static io.wal4j.impls.memory.MemoryTestUtils.PATIENCE;
import static io.wal4j.impls.memory.MemoryTestUtils.append;
import static io.wal4j.impls.memory.MemoryTestUtils.n;
import static io.wal4j.impls.memory.MemoryTestUtils.offset;
import static io.wal4j.impls.memory.MemoryTestUtils.openRW;
import static io.wal4j.impls.memory.MemoryTestUtils.opener;
import static io.wal4j.impls.memory.MemoryTestUtils.read;
import static io.wal4j.impls.memory.MemoryTestUtils.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryScannerTest {

    private final MemoryOpenerBuilder builder = new MemoryOpenerBuilder();
    private final OpenerImpls opener = opener(builder);
    private final WALImpls wal = openRW(opener, "c", 1);
    private final ExecutorService consumers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wal4j-test-consumer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Thread> consumer = new AtomicReference<>();

    @AfterEach
    void closeEverything() {
        opener.close();
        consumers.shutdownNow();
    }

    private <T> Future<T> consume(ScannerImpls scanner, Function<ScannerImpls, T> call) {
        return consumers.submit(() -> {
            consumer.set(Thread.currentThread());
            return call.apply(scanner);
        });
    }

    /** Waits until the consumer thread is parked inside the scanner (on the log's Condition). */
    private void awaitConsumerBlocked() {
        await().atMost(PATIENCE).until(() -> {
            Thread t = consumer.get();
            return t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
        });
    }

    private static Throwable failureOf(Future<?> future) throws InterruptedException {
        try {
            future.get(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the blocked consumer was not woken", e);
        }
        throw new AssertionError("the consumer returned normally");
    }

    @Test
    void nameIsTheOptionsName() {
        try (ScannerImpls scanner = read(wal, "scanner1", DeliverPolicy.all())) {
            assertThat(scanner.name()).isEqualTo("scanner1");
        }
    }

    @Test
    void allDeliversEveryRetainedMessageThenWaits() {
        for (int i = 0; i < 4; i++) {
            append(wal, i);
        }
        try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.all())) {
            assertThat(take(scanner, 4)).extracting(MemoryTestUtils::n).containsExactly(0L, 1L, 2L, 3L);
            assertThat(scanner.poll(Duration.ZERO)).isNull();
        }
    }

    @Test
    void latestDeliversOnlyMessagesAppendedAfterTheScannerWasCreated() {
        for (int i = 0; i < 3; i++) {
            append(wal, i);
        }
        try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.latest())) {
            assertThat(scanner.poll(Duration.ofMillis(20))).isNull();
            append(wal, 3);
            ImmutableMessage next = scanner.poll(PATIENCE);
            assertThat(offset(next.id())).isEqualTo(3);
            assertThat(scanner.poll(Duration.ZERO)).isNull();
        }
    }

    @Test
    void latestOnAnEmptyChannelDeliversTheFirstMessage() {
        try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.latest())) {
            append(wal, 0);
            assertThat(n(scanner.poll(PATIENCE))).isZero();
        }
    }

    @ParameterizedTest(name = "{0}({1}) starts at {2}")
    @CsvSource({"from, 0, 0", "from, 3, 3", "from, 5, 5", "after, 0, 1", "after, 3, 4", "after, 4, 5"})
    void startFromIsInclusiveAndStartAfterIsExclusive(String kind, long id, long firstDelivered) {
        for (int i = 0; i < 5; i++) {
            append(wal, i);
        }
        MemoryMessageId at = MemoryMessageId.of(id);
        DeliverPolicy policy = kind.equals("from") ? DeliverPolicy.startFrom(at) : DeliverPolicy.startAfter(at);
        try (ScannerImpls scanner = read(wal, "s", policy)) {
            if (firstDelivered == 5) {
                assertThat(scanner.poll(Duration.ZERO)).isNull();
                append(wal, 5);
            }
            ImmutableMessage first = scanner.poll(PATIENCE);
            assertThat(offset(first.id())).isEqualTo(firstDelivered);
            assertThat(n(first)).isEqualTo(firstDelivered);
        }
    }

    @Test
    void anIdThatNoLongerExistsPositionsAtTheFirstGreaterId() {
        for (int i = 0; i < 5; i++) {
            append(wal, i);
        }
        MemoryTestUtils.get(wal.truncate(MemoryMessageId.of(2)));
        try (ScannerImpls from = read(wal, "from", DeliverPolicy.startFrom(MemoryMessageId.of(1)));
             ScannerImpls after = read(wal, "after", DeliverPolicy.startAfter(MemoryMessageId.of(0)))) {
            assertThat(n(from.poll(PATIENCE))).isEqualTo(3);
            assertThat(n(after.poll(PATIENCE))).isEqualTo(3);
        }
    }

    @Test
    void anIdNotYetWrittenWaitsForIt() {
        append(wal, 0);
        try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.startFrom(MemoryMessageId.of(2)))) {
            append(wal, 1);
            assertThat(scanner.poll(Duration.ZERO)).isNull();
            append(wal, 2);
            assertThat(n(scanner.poll(PATIENCE))).isEqualTo(2);
        }
    }

    @Test
    void startAfterTheLargestPossibleIdNeverOverflows() {
        append(wal, 0);
        try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.startAfter(MemoryMessageId.of(Long.MAX_VALUE)))) {
            assertThat(scanner.poll(Duration.ZERO)).isNull();
        }
    }

    @Test
    void aBlockedTakeIsWokenByAnAppend() throws Exception {
        try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.all())) {
            Future<ImmutableMessage> taken = consume(scanner, ScannerImpls::take);
            awaitConsumerBlocked();
            append(wal, 41);
            assertThat(n(taken.get(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))).isEqualTo(41);
        }
    }

    @Test
    void aBlockedTakeIsWokenByClosingTheScanner() throws Exception {
        ScannerImpls scanner = read(wal, "s", DeliverPolicy.all());
        Future<ImmutableMessage> taken = consume(scanner, ScannerImpls::take);
        awaitConsumerBlocked();
        scanner.close();
        assertThat(failureOf(taken)).isInstanceOf(WALClosedException.class).hasMessageContaining("s");
        assertThat(scanner.done()).isCompleted();
        assertThat(scanner.done().isCompletedExceptionally()).isFalse();
    }

    @Test
    void aBlockedPollIsWokenByClosingTheWAL() throws Exception {
        ScannerImpls scanner = read(wal, "s", DeliverPolicy.all());
        Future<ImmutableMessage> polled = consume(scanner, s -> s.poll(Duration.ofHours(1)));
        awaitConsumerBlocked();
        wal.close();
        assertThat(failureOf(polled)).isInstanceOf(WALClosedException.class);
        assertThat(scanner.done()).isCompleted();
    }

    @Test
    void aBlockedTakeIsWokenByClosingTheOpener() throws Exception {
        ScannerImpls scanner = read(wal, "s", DeliverPolicy.all());
        Future<ImmutableMessage> taken = consume(scanner, ScannerImpls::take);
        awaitConsumerBlocked();
        opener.close();
        assertThat(failureOf(taken)).isInstanceOf(WALClosedException.class);
        assertThat(scanner.done()).isCompleted();
    }

    @Test
    void anInterruptedTakeThrowsWALClosedExceptionAndKeepsTheInterrupt() throws Exception {
        try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.all())) {
            Future<Boolean> interruptKept = consumers.submit(() -> {
                consumer.set(Thread.currentThread());
                try {
                    scanner.take();
                    return false;
                } catch (WALClosedException e) {
                    return Thread.currentThread().isInterrupted();
                }
            });
            awaitConsumerBlocked();
            consumer.get().interrupt();
            assertThat(interruptKept.get(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
            append(wal, 1);
            assertThat(n(scanner.poll(PATIENCE))).isEqualTo(1);
        }
    }

    @Test
    void pollReturnsNullWhenNothingArrivesInTime() {
        try (ScannerImpls scanner = read(wal, "s", DeliverPolicy.all())) {
            assertThat(scanner.poll(Duration.ofMillis(10))).isNull();
            assertThat(scanner.poll(Duration.ofMillis(-5))).isNull();
            assertThatThrownBy(() -> scanner.poll(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void callsAfterCloseThrowWALClosedExceptionAndCloseIsIdempotent() {
        append(wal, 0);
        ScannerImpls scanner = read(wal, "s", DeliverPolicy.all());
        scanner.close();
        scanner.close();
        assertThatThrownBy(() -> scanner.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
        assertThatThrownBy(scanner::take).isInstanceOf(WALClosedException.class);
        assertThat(scanner.done()).isCompleted();
    }

    @Test
    void closingAScannerLeavesTheOthersRunning() {
        try (ScannerImpls kept = read(wal, "kept", DeliverPolicy.all())) {
            read(wal, "closed", DeliverPolicy.all()).close();
            append(wal, 0);
            assertThat(n(kept.poll(PATIENCE))).isZero();
        }
    }

    @Test
    void manyBlockedConsumersAreAllWokenByOneClose() throws Exception {
        List<ScannerImpls> scanners = new ArrayList<>();
        List<CompletableFuture<ImmutableMessage>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ScannerImpls scanner = read(wal, "s" + i, DeliverPolicy.all());
            scanners.add(scanner);
            results.add(CompletableFuture.supplyAsync(scanner::take, consumers));
        }
        wal.close();
        for (int i = 0; i < scanners.size(); i++) {
            assertThat(failureOf(results.get(i))).isInstanceOf(WALClosedException.class);
            assertThat(scanners.get(i).done()).isCompleted();
        }
    }
}
