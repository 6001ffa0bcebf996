package io.wal4j.impls.memory;

import static io.wal4j.impls.memory.MemoryTestUtils.PATIENCE;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {

    private final MemoryOpenerBuilder builder = new MemoryOpenerBuilder();
    private final MemoryStore store = builder.store("default");
    private final OpenerImpls opener = opener(builder);

    @AfterEach
    void closeOpener() {
        opener.close();
    }

    @Test
    void heldAppendsAreStoredButNeitherAcknowledgedNorVisible() {
        try (WALImpls wal = openRW(opener, "c", 1); ScannerImpls scanner = read(wal, "s", DeliverPolicy.all())) {
            append(wal, 0);
            store.holdAcknowledgements();
            assertThat(store.isHoldingAcknowledgements()).isTrue();
            CompletableFuture<MessageId> held = wal.append(message(1), Durability.MEMORY);
            assertThat(held).isNotDone();
            assertThat(store.pendingAcknowledgements()).isEqualTo(1);
            assertThat(store.acknowledgedCount("c")).isEqualTo(1);
            assertThat(n(scanner.poll(PATIENCE))).isZero();
            assertThat(scanner.poll(Duration.ofMillis(20))).isNull();
            assertThat(readAll(wal)).hasSize(1);
        }
    }

    @Test
    void releaseAcknowledgesHeldAppendsInIdOrderAndMakesThemVisible() {
        try (WALImpls wal = openRW(opener, "c", 1); ScannerImpls scanner = read(wal, "s", DeliverPolicy.all())) {
            store.holdAcknowledgements();
            List<Long> completionOrder = new ArrayList<>();
            List<CompletableFuture<MessageId>> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                CompletableFuture<MessageId> f = wal.append(message(i), Durability.MEMORY);
                f.thenAccept(id -> completionOrder.add(offset(id)));
                held.add(f);
            }
            assertThat(held).noneMatch(CompletableFuture::isDone);
            assertThat(store.releaseAcknowledgements()).isEqualTo(5);
            assertThat(store.isHoldingAcknowledgements()).isFalse();
            assertThat(completionOrder).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(MemoryTestUtils.take(scanner, 5)).extracting(MemoryTestUtils::n)
                    .containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(get(wal.append(message(5), Durability.MEMORY))).isEqualTo(MemoryMessageId.of(5));
            assertThat(store.releaseAcknowledgements()).isZero();
        }
    }

    @Test
    void channelsOpenedWhileHoldingAreHeldToo() {
        store.holdAcknowledgements();
        try (WALImpls wal = openRW(opener, "fresh", 1)) {
            assertThat(wal.append(message(0), Durability.MEMORY)).isNotDone();
            assertThat(store.pendingAcknowledgements()).isEqualTo(1);
        }
    }

    @Test
    void simulateCrashDropsUnacknowledgedAppendsAndKeepsAcknowledgedOnes() {
        List<CompletableFuture<MessageId>> held = new ArrayList<>();
        try (WALImpls wal = openRW(opener, "c", 1); WALImpls other = openRW(opener, "d", 1)) {
            for (int i = 0; i < 5; i++) {
                append(wal, i);
            }
            append(other, 100);
            store.holdAcknowledgements();
            for (int i = 5; i < 8; i++) {
                held.add(wal.append(message(i), Durability.MEMORY));
            }
            held.add(other.append(message(101), Durability.MEMORY));

            assertThat(store.simulateCrash()).isEqualTo(4);
        }
        assertThat(held).allSatisfy(f -> assertThat(failure(f)).isInstanceOf(WALStorageException.class)
                .hasMessageContaining("simulated crash"));
        assertThat(store.isHoldingAcknowledgements()).isFalse();
        assertThat(store.pendingAcknowledgements()).isZero();
        try (WALImpls recovered = openRW(opener, "c", 2); WALImpls otherRecovered = openRW(opener, "d", 2)) {
            assertThat(readAll(recovered)).extracting(MemoryTestUtils::n).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(readAll(otherRecovered)).extracting(MemoryTestUtils::n).containsExactly(100L);
            // The dropped ids were never acknowledged nor seen: a recovered log hands them out again.
            assertThat(append(recovered, 9)).isEqualTo(MemoryMessageId.of(5));
            assertThat(append(otherRecovered, 102)).isEqualTo(MemoryMessageId.of(1));
        }
    }

    @Test
    void simulateCrashKillsEveryLiveWALAndScannerOfTheStore() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        WALImpls wal = openRW(opener, "c", 1);
        ReadOnlyWALImpls reader = opener.openReadOnly(OpenOption.readOnly("c", 1));
        try {
            append(wal, 0);
            ScannerImpls blocked = read(reader, "blocked", DeliverPolicy.startFrom(MemoryMessageId.of(1)));
            ScannerImpls writerScanner = read(wal, "w", DeliverPolicy.all());
            Future<ImmutableMessage> taken = pool.submit(blocked::take);
            assertThat(store.simulateCrash()).isZero();

            assertThat(causeOf(taken)).isInstanceOf(WALStorageException.class);
            assertThat(failure(blocked.done())).isInstanceOf(WALStorageException.class);
            assertThat(failure(writerScanner.done())).isInstanceOf(WALStorageException.class);
            assertThatThrownBy(() -> writerScanner.poll(Duration.ZERO)).isInstanceOf(WALStorageException.class);
            assertThat(failure(wal.append(message(1), Durability.MEMORY))).isInstanceOf(WALStorageException.class);
            assertThat(failure(wal.truncate(MemoryMessageId.of(0)))).isInstanceOf(WALStorageException.class);
            assertThatThrownBy(() -> read(wal, "late", DeliverPolicy.all()))
                    .isInstanceOf(WALStorageException.class);
            assertThatThrownBy(() -> read(reader, "late", DeliverPolicy.all()))
                    .isInstanceOf(WALStorageException.class);
        } finally {
            wal.close();
            reader.close();
            pool.shutdownNow();
        }
        try (WALImpls recovered = openRW(opener, "c", 1)) {
            assertThat(readAll(recovered)).extracting(MemoryTestUtils::n).containsExactly(0L);
        }
    }

    @Test
    void callbacksOfACrashRunOutsideTheStoreLock() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (WALImpls wal = openRW(opener, "c", 1); ScannerImpls scanner = read(wal, "s", DeliverPolicy.all())) {
            store.holdAcknowledgements();
            CompletableFuture<MessageId> held = wal.append(message(0), Durability.MEMORY);
            // Each callback needs the store lock on another thread: it would time out if run under the lock.
            CompletableFuture<Boolean> fromScanner = scanner.done().handle((v, e) -> lockIsFree(other));
            CompletableFuture<Boolean> fromAppend = held.handle((v, e) -> lockIsFree(other));
            store.simulateCrash();
            assertThat(get(fromScanner)).isTrue();
            assertThat(get(fromAppend)).isTrue();
        } finally {
            other.shutdownNow();
        }
    }

    private boolean lockIsFree(ExecutorService other) {
        try {
            other.submit(store::isHoldingAcknowledgements).get(2, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCrashDoesNotTouchAnotherStore() {
        try (OpenerImpls otherOpener = opener(builder, "other"); WALImpls other = openRW(otherOpener, "c", 1);
             WALImpls wal = openRW(opener, "c", 1)) {
            append(wal, 0);
            builder.store("other").holdAcknowledgements();
            CompletableFuture<MessageId> held = other.append(message(1), Durability.MEMORY);
            store.simulateCrash();
            assertThat(held).isNotDone();
            assertThat(builder.store("other").releaseAcknowledgements()).isEqualTo(1);
            assertThat(get(held)).isEqualTo(MemoryMessageId.of(0));
        }
    }

    /** One append of the racing test: its "n" property, its future, and whether it was done when returned. */
    private record Sent(long n, CompletableFuture<MessageId> future, boolean doneAtOnce) {
    }

    @Test
    void aCrashRacingWithConcurrentAppendersLosesExactlyTheUnacknowledgedAppends() throws Exception {
        int threads = 4;
        int maxPerThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        WALImpls wal = openRW(opener, "c", 1);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<Sent>>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * 1_000_000;
                writers.add(pool.submit(() -> {
                    start.await();
                    List<Sent> sent = new ArrayList<>();
                    // Appends stop being acknowledged at the hold and fail at once after the crash.
                    for (int i = 0; i < maxPerThread; i++) {
                        CompletableFuture<MessageId> f = wal.append(message(base + i), Durability.MEMORY);
                        sent.add(new Sent(base + i, f, f.isDone()));
                        if (f.isCompletedExceptionally()) {
                            break;
                        }
                    }
                    return sent;
                }));
            }
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1))
                    .until(() -> store.acknowledgedCount("c") >= 500 || writers.stream().allMatch(Future::isDone));
            store.holdAcknowledgements();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1))
                    .until(() -> store.pendingAcknowledgements() >= 200 || writers.stream().allMatch(Future::isDone));
            int dropped = store.simulateCrash();

            Set<Long> acknowledged = new HashSet<>();
            Set<Long> acknowledgedIds = new HashSet<>();
            int heldWhenReturned = 0;
            int failed = 0;
            for (Future<List<Sent>> writer : writers) {
                for (Sent sent : writer.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    assertThat(sent.future()).isDone();
                    if (!sent.doneAtOnce()) {
                        // Held: the crash must have failed it, never acknowledged it.
                        assertThat(failure(sent.future())).isInstanceOf(WALStorageException.class);
                        heldWhenReturned++;
                        failed++;
                    } else if (sent.future().isCompletedExceptionally()) {
                        // Failed by the dead WAL, or held and failed by the crash before the writer looked.
                        assertThat(failure(sent.future())).isInstanceOf(WALStorageException.class);
                        failed++;
                    } else {
                        acknowledged.add(sent.n());
                        acknowledgedIds.add(offset(sent.future().join()));
                    }
                }
            }
            assertThat(dropped).isBetween(heldWhenReturned, failed);
            try (WALImpls recovered = openRW(opener, "c", 2)) {
                List<ImmutableMessage> survived = readAll(recovered);
                assertThat(survived).extracting(MemoryTestUtils::n)
                        .containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(survived).extracting(m -> offset(m.id()))
                        .containsExactlyInAnyOrderElementsOf(acknowledgedIds).isSorted();
            }
        } finally {
            wal.close();
            pool.shutdownNow();
        }
    }

    private static Throwable causeOf(Future<?> future) throws InterruptedException {
        try {
            future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the blocked consumer was not woken by the crash", e);
        }
        throw new AssertionError("the consumer returned normally");
    }
}
