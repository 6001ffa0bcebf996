package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.Durability;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AppendQueueTest {

    private static PendingAppend entry(int bytes) {
        return new PendingAppend(new byte[bytes], Durability.OS, new CompletableFuture<>());
    }

    private static CompletableFuture<Void> putAsync(AppendQueue queue, PendingAppend entry) {
        return CompletableFuture.runAsync(() -> {
            try {
                queue.put(entry);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aPutBlocksWhileTheCountBoundIsReachedAndResumesAfterATake() throws Exception {
        AppendQueue queue = new AppendQueue(2, 1 << 20);
        queue.put(entry(10));
        queue.put(entry(10));
        CompletableFuture<Void> third = putAsync(queue, entry(10));
        await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());
        assertThat(queue.takeBatch(1 << 20, 0)).hasSize(2);
        assertThat(third).succeedsWithin(Duration.ofSeconds(5));
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void aPutBlocksWhileTheByteBoundIsReachedButAnOversizedEntryIsAdmittedAlone() throws Exception {
        AppendQueue queue = new AppendQueue(100, 100);
        queue.put(entry(500));
        CompletableFuture<Void> next = putAsync(queue, entry(10));
        await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2)).until(() -> !next.isDone());
        assertThat(queue.takeBatch(1000, 0)).hasSize(1);
        assertThat(next).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aBatchStopsAtTheBatchBytesButHoldsAtLeastOneEntry() throws Exception {
        AppendQueue queue = new AppendQueue(100, 1 << 20);
        queue.put(entry(300));
        queue.put(entry(60));
        queue.put(entry(60));
        queue.put(entry(60));
        assertThat(queue.takeBatch(100, 0)).hasSize(1);
        assertThat(queue.takeBatch(130, 0)).hasSize(2);
        assertThat(queue.takeBatch(130, 0)).hasSize(1);
    }

    @Test
    void aGracefulCloseLetsTheWriterDrainAndRefusesLaterPuts() throws Exception {
        AppendQueue queue = new AppendQueue(10, 1 << 20);
        queue.put(entry(1));
        WALClosedException reason = new WALClosedException("closed");
        queue.close(reason, false);
        assertThatThrownBy(() -> queue.put(entry(1))).isSameAs(reason);
        assertThat(queue.takeBatch(100, 0)).hasSize(1);
        assertThat(queue.takeBatch(100, 0)).isEmpty();
        assertThat(queue.closedReason()).isSameAs(reason);
    }

    @Test
    void anAbortingCloseStopsTheWriterAndWakesBlockedPutters() throws Exception {
        AppendQueue queue = new AppendQueue(1, 1 << 20);
        queue.put(entry(1));
        CompletableFuture<Void> blocked = putAsync(queue, entry(1));
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !blocked.isDone());
        WALStorageException poison = new WALStorageException("poisoned");
        queue.close(poison, true);
        assertThat(blocked).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingRootCause()
                .isSameAs(poison);
        assertThat(queue.takeBatch(100, 0)).isEmpty();
        assertThat(queue.drain()).hasSize(1);
    }

    private static CompletableFuture<java.util.List<PendingAppend>> takeAsync(AppendQueue queue, int returning,
                                                                            Duration settle) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return queue.takeBatch(1 << 20, 0, returning, settle.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void settlingWaitsForTheReturningAppendersAndTakesThemIntoTheSameBatch() throws Exception {
        AppendQueue queue = new AppendQueue(100, 1 << 20);
        queue.put(entry(10));
        queue.put(entry(10));
        CompletableFuture<java.util.List<PendingAppend>> batch = takeAsync(queue, 3, Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(queue::writerWaiting);
        queue.put(entry(10));
        queue.put(entry(10));
        assertThat(batch).as("two of the three returning appenders are not enough").isNotDone();
        queue.put(entry(10));
        assertThat(batch).succeedsWithin(Duration.ofSeconds(10)).satisfies(b -> assertThat(b).hasSize(5));
        assertThat(queue.lastSettleMet()).isTrue();
    }

    @Test
    void settlingGivesUpAfterItsBoundAndTakesWhatIsQueued() throws Exception {
        AppendQueue queue = new AppendQueue(100, 1 << 20);
        queue.put(entry(10));
        assertThat(queue.takeBatch(1 << 20, 0, 8, Duration.ofMillis(20).toNanos())).hasSize(1);
        assertThat(queue.lastSettleMet()).as("timed out").isFalse();
        assertThat(queue.size()).isZero();
        queue.put(entry(10));
        assertThat(queue.takeBatch(1 << 20, 0)).hasSize(1);
        assertThat(queue.lastSettleMet()).as("no settle this time").isTrue();
    }

    @Test
    void settlingEndsAsSoonAsTheBatchBytesAreQueued() throws Exception {
        AppendQueue queue = new AppendQueue(100, 1 << 20);
        queue.put(entry(40));
        CompletableFuture<java.util.List<PendingAppend>> batch = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.takeBatch(100, 0, 50, Duration.ofMinutes(5).toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(queue::writerWaiting);
        queue.put(entry(40));
        queue.put(entry(40));
        assertThat(batch).succeedsWithin(Duration.ofSeconds(10)).satisfies(b -> assertThat(b).hasSize(2));
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void settlingEndsWhenAnAppenderBlocksOnAFullQueue() throws Exception {
        AppendQueue queue = new AppendQueue(100, 100);
        queue.put(entry(60));
        CompletableFuture<java.util.List<PendingAppend>> batch = takeAsync(queue, 5, Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(queue::writerWaiting);
        CompletableFuture<Void> blocked = putAsync(queue, entry(60));
        assertThat(batch).succeedsWithin(Duration.ofSeconds(10)).satisfies(b -> assertThat(b).hasSize(1));
        assertThat(blocked).succeedsWithin(Duration.ofSeconds(10));
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void settlingNeverWaitsForMoreThanTheQueueCanHold() throws Exception {
        AppendQueue queue = new AppendQueue(3, 1 << 20);
        queue.put(entry(10));
        queue.put(entry(10));
        queue.put(entry(10));
        CompletableFuture<java.util.List<PendingAppend>> batch = takeAsync(queue, 10, Duration.ofMinutes(5));
        assertThat(batch).succeedsWithin(Duration.ofSeconds(10)).satisfies(b -> assertThat(b).hasSize(3));
    }

    @Test
    void closingTheQueueEndsSettling() throws Exception {
        AppendQueue queue = new AppendQueue(100, 1 << 20);
        queue.put(entry(10));
        CompletableFuture<java.util.List<PendingAppend>> batch = takeAsync(queue, 5, Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(queue::writerWaiting);
        queue.close(new WALClosedException("closed"), false);
        assertThat(batch).succeedsWithin(Duration.ofSeconds(10)).satisfies(b -> assertThat(b).hasSize(1));
    }
}
