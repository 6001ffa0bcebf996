package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.ids;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.message.MessageId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // the Release resources exist to be closed, releasing blocked forces
class GroupCommitWriterTest {

    @TempDir
    Path dir;

    private final FaultyStorage storage = new FaultyStorage();

    @Test
    void manyConcurrentDiskAppendsShareFarFewerForcesThanAppends() throws Exception {
        int threads = 8;
        int perThread = 50;
        try (FileOpener opener = opener(config(dir), storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
             FaultyStorage.Release release = storage.blockForces()) {
            // A first append takes the writer into a force that blocks; everyone else queues up meanwhile.
            CompletableFuture<MessageId> first = wal.append(message(-1), Durability.DISK);
            assertThat(storage.forceEntered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            int forcesBefore = storage.forces.get();
            List<CompletableFuture<MessageId>> futures = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        futures.add(wal.append(message(i), Durability.DISK));
                    }
                });
                th.start();
                appenders.add(th);
            }
            start.countDown();
            for (Thread th : appenders) {
                th.join();
            }
            await().until(() -> wal.pendingAppends() == threads * perThread);
            assertThat(futures).noneMatch(CompletableFuture::isDone);
            storage.releaseForces();
            first.get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            int forces = storage.forces.get() - forcesBefore;
            assertThat(forces).as("forces for %d appends", threads * perThread).isBetween(1, 3);
            List<Long> expected = LongStream.range(0, threads * perThread + 1).boxed().toList();
            assertThat(futures.stream().map(f -> ((FileMessageId) f.join()).sequence()).sorted().toList())
                    .isEqualTo(expected.subList(1, expected.size()));
            assertThat(ids(readAll(wal))).isEqualTo(expected);
        }
    }

    @Test
    void aDiskAppendIsNotAcknowledgedBeforeItsForceReturns() throws Exception {
        try (FileOpener opener = opener(config(dir), storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
             FaultyStorage.Release release = storage.blockForces()) {
            CompletableFuture<MessageId> append = wal.append(message(0), Durability.DISK);
            assertThat(storage.forceEntered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            assertThat(append).isNotDone();
            assertThat(readAll(wal)).as("readers see it only once durable").isEmpty();
            storage.releaseForces();
            assertThat(append).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(FileMessageId.of(0));
            assertThat(readAll(wal)).hasSize(1);
        }
    }

    @Test
    void osAppendsAreAcknowledgedWithoutAnyForceAndDiskAppendsForce() throws Exception {
        try (FileOpener opener = opener(config(dir), storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            int before = storage.forces.get();
            try (FaultyStorage.Release release = storage.blockForces()) {
                for (int i = 0; i < 20; i++) {
                    assertThat(wal.append(message(i), Durability.OS)).succeedsWithin(Duration.ofSeconds(10));
                }
                assertThat(storage.forces.get()).isEqualTo(before);
                assertThat(storage.forceEntered.availablePermits()).isZero();
            }
            wal.append(message(20), Durability.DISK).get(10, TimeUnit.SECONDS);
            assertThat(storage.forces.get()).isEqualTo(before + 1);
        }
    }

    @Test
    void aFullQueueBlocksTheAppenderUntilTheWriterMakesRoom() throws Exception {
        try (FileOpener opener = opener(config(dir, "queue-messages", "4"), storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
             FaultyStorage.Release release = storage.blockForces()) {
            CompletableFuture<MessageId> first = wal.append(message(0), Durability.DISK);
            assertThat(storage.forceEntered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 4; i++) {
                wal.append(message(i), Durability.DISK);
            }
            CompletableFuture<CompletableFuture<MessageId>> blocked = CompletableFuture.supplyAsync(
                    () -> wal.append(message(5), Durability.DISK));
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                    .until(() -> !blocked.isDone());
            assertThat(wal.pendingAppends()).isEqualTo(4);
            assertThat(blocked).isNotDone();
            storage.releaseForces();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).succeedsWithin(Duration.ofSeconds(10))
                    .isEqualTo(FileMessageId.of(5));
            assertThat(first).isCompleted();
        }
    }

    @Test
    void aBatchDelayGathersAppendsIntoOneWrite() throws Exception {
        try (FileOpener opener = opener(config(dir, "batch-max-delay", "300ms"), storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            int writes = storage.writes.get();
            List<CompletableFuture<MessageId>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(wal.append(message(i), Durability.OS));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(storage.writes.get() - writes).isLessThan(10);
        }
    }

    @Test
    void callbacksRunOnTheAckThreadAndASlowOneDoesNotStallTheWriter() throws Exception {
        try (FileOpener opener = opener(config(dir), storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            CountDownLatch callbackMayReturn = new CountDownLatch(1);
            CompletableFuture<String> callbackThread = new CompletableFuture<>();
            try (FaultyStorage.Release release = storage.blockForces()) {
                wal.append(message(0), Durability.DISK).thenRun(() -> {
                    callbackThread.complete(Thread.currentThread().getName());
                    try {
                        callbackMayReturn.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(callbackThread).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("wal4j-file-ack-ch");
            CompletableFuture<MessageId> second = wal.append(message(1), Durability.DISK);
            await().atMost(Duration.ofSeconds(10)).until(() -> readAll(wal).size() == 2);
            assertThat(second).isNotDone();
            callbackMayReturn.countDown();
            assertThat(second).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(FileMessageId.of(1));
        }
    }

    @Test
    void aWindowOfDiskAppendsIsForcedWholeOnceTheAcknowledgedAppendersReturn() throws Exception {
        // A slow disk and a caller that keeps 16 DISK appends in flight, appending again from each acknowledgement.
        // Natural batching alone splits such a window over two alternating forces for good (the first append is
        // forced alone while the other 15 queue, then those 15 while the first comes back, ...); settling waits for
        // the returning appenders, so after the first force every force covers the whole window.
        int window = 16;
        int total = window * 6;
        storage.slowForces(Duration.ofMillis(100));
        try (FileOpener opener = opener(config(dir, "batch-settle-max", "1s"), storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            int forcesBefore = storage.forces.get();
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
            CompletableFuture<Void> allAcked = new CompletableFuture<>();
            Runnable[] appendOne = new Runnable[1];
            appendOne[0] = () -> {
                int i = sent.getAndIncrement();
                if (i >= total) {
                    return;
                }
                wal.append(message(i), Durability.DISK).whenComplete((id, error) -> {
                    if (error != null) {
                        allAcked.completeExceptionally(error);
                    } else if (acked.incrementAndGet() == total) {
                        allAcked.complete(null);
                    }
                    appendOne[0].run();
                });
            };
            for (int i = 0; i < window; i++) {
                appendOne[0].run();
            }
            allAcked.get(60, TimeUnit.SECONDS);
            int forces = storage.forces.get() - forcesBefore;
            assertThat(forces).as("forces for %d appends in a window of %d", total, window)
                    .isLessThanOrEqualTo(total / window + 1);
            assertThat(ids(readAll(wal))).isEqualTo(LongStream.range(0, total).boxed().toList());
        }
    }
}
