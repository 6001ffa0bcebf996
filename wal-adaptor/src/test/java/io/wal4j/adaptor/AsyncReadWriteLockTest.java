package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The rules of the asynchronous read-write lock behind the lock interceptor. */
class AsyncReadWriteLockTest {

    private final AsyncReadWriteLock lock = new AsyncReadWriteLock();

    @Test
    void sharedHoldersCoexistAndAnExclusiveRequestWaitsUntilTheLastOneReleases() {
        assertThat(lock.acquire(false)).isCompleted();
        assertThat(lock.acquire(false)).isCompleted();
        CompletableFuture<Void> exclusive = lock.acquire(true);
        assertThat(exclusive).isNotDone();
        lock.release(false);
        assertThat(exclusive).isNotDone();
        lock.release(false);
        assertThat(exclusive).isCompleted();
    }

    @Test
    void sharedRequestsArrivingBehindAWaitingExclusiveOneQueueBehindItInOrder() {
        lock.acquire(false);
        CompletableFuture<Void> exclusive = lock.acquire(true);
        CompletableFuture<Void> lateReader1 = lock.acquire(false);
        CompletableFuture<Void> lateReader2 = lock.acquire(false);
        assertThat(lateReader1).isNotDone();
        lock.release(false);
        assertThat(exclusive).isCompleted();
        assertThat(lateReader1).isNotDone();
        lock.release(true);
        assertThat(lateReader1).isCompleted();
        assertThat(lateReader2).isCompleted();
    }

    @Test
    void anAbandonedExclusiveWaiterLeavesTheQueueAndLetsTheReadersBehindItIn() {
        lock.acquire(false);
        CompletableFuture<Void> exclusive = lock.acquire(true);
        CompletableFuture<Void> reader = lock.acquire(false);
        exclusive.completeExceptionally(new RuntimeException("gave up"));
        lock.abandon(exclusive);
        assertThat(reader).isCompleted();
        assertThat(lock.waiting()).isZero();
        lock.release(false);
        lock.release(false);
        assertThat(lock.acquire(true)).isCompleted();
    }

    @Test
    void aGrantRacingWithTheWaiterGivingUpIsReleasedAtOnce() {
        lock.acquire(true);
        CompletableFuture<Void> waiter = lock.acquire(true);
        waiter.completeExceptionally(new RuntimeException("gave up")); // abandon not yet called
        lock.release(true);
        assertThat(lock.acquire(true)).as("the refused grant was released").isCompleted();
    }

    @Test
    void sixteenThreadsNeverSeeAnExclusiveHolderAlongsideAnyOtherHolder() throws Exception {
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(16);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            boolean exclusive = t % 4 == 0;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    lock.acquire(exclusive).join();
                    if (exclusive) {
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                            violations.incrementAndGet();
                        }
                        writers.decrementAndGet();
                    } else {
                        readers.incrementAndGet();
                        if (writers.get() != 0) {
                            violations.incrementAndGet();
                        }
                        readers.decrementAndGet();
                    }
                    lock.release(exclusive);
                }
                done.countDown();
            }, "test-lock-" + t));
        }
        threads.forEach(Thread::start);
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(violations.get()).isZero();
        assertThat(lock.waiting()).isZero();
    }
}
