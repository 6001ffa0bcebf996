package io.wal4j.utility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifetimeTest {

    private final ExecutorService pool = Executors.newCachedThreadPool(new NamedThreadFactory("wal4j-test-lifetime"));

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void enterAndExitCountCallsInFlight() {
        Lifetime lifetime = new Lifetime("wal orders");

        assertThat(lifetime.tryEnter()).isTrue();
        assertThat(lifetime.tryEnter()).isTrue();
        assertThat(lifetime.inFlight()).isEqualTo(2);
        lifetime.exit();
        assertThat(lifetime.inFlight()).isEqualTo(1);
        lifetime.exit();
        assertThat(lifetime.inFlight()).isZero();
        assertThat(lifetime.isClosed()).isFalse();
    }

    @Test
    void closeRefusesNewCallsButLetsEnteredOnesExit() {
        Lifetime lifetime = new Lifetime("wal orders");
        assertThat(lifetime.tryEnter()).isTrue();

        assertThat(lifetime.close()).isTrue();

        assertThat(lifetime.isClosed()).isTrue();
        assertThat(lifetime.tryEnter()).isFalse();
        assertThat(lifetime.inFlight()).isEqualTo(1);
        lifetime.exit();
        assertThat(lifetime.inFlight()).isZero();
    }

    @Test
    void onlyTheFirstCloseReportsThatItClosed() {
        Lifetime lifetime = new Lifetime("wal orders");

        assertThat(lifetime.close()).isTrue();
        assertThat(lifetime.close()).isFalse();
        assertThat(lifetime.isClosed()).isTrue();
    }

    @Test
    void exactlyOneOfManyConcurrentClosesWins() throws Exception {
        Lifetime lifetime = new Lifetime("wal orders");
        int threads = 10;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        List<Future<?>> closers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            closers.add(pool.submit(() -> {
                start.await();
                if (lifetime.close()) {
                    winners.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> closer : closers) {
            closer.get(10, TimeUnit.SECONDS);
        }

        assertThat(winners).hasValue(1);
    }

    @Test
    void closedByRecordsTheOwnerAndTheClosingThread() {
        Lifetime lifetime = new Lifetime("wal orders");
        assertThat(lifetime.closedBy()).isNull();

        lifetime.close();

        Throwable closedBy = lifetime.closedBy();
        assertThat(closedBy).isNotNull();
        assertThat(closedBy.getMessage()).contains("wal orders").contains(Thread.currentThread().getName());
        assertThat(closedBy.getStackTrace()[0].getMethodName()).isEqualTo("close");
    }

    @Test
    void closedByIsNotReplacedByALaterClose() {
        Lifetime lifetime = new Lifetime("wal orders");
        lifetime.close();
        Throwable first = lifetime.closedBy();

        lifetime.close();

        assertThat(lifetime.closedBy()).isSameAs(first);
    }

    @Test
    void exitWithoutEnterFailsNamingTheOwner() {
        Lifetime lifetime = new Lifetime("wal orders");

        assertThatThrownBy(lifetime::exit)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wal orders");
    }

    @Test
    void awaitQuiescentReturnsAtOnceWhenClosedWithNothingInFlight() {
        Lifetime lifetime = new Lifetime("wal orders");
        lifetime.close();

        assertThat(lifetime.awaitQuiescent(Duration.ZERO)).isTrue();
    }

    @Test
    void awaitQuiescentTimesOutWhileStillOpen() {
        Lifetime lifetime = new Lifetime("wal orders");

        assertThat(lifetime.awaitQuiescent(Duration.ofMillis(20))).isFalse();
    }

    @Test
    void awaitQuiescentTimesOutWhileACallIsInFlight() {
        Lifetime lifetime = new Lifetime("wal orders");
        lifetime.tryEnter();
        lifetime.close();

        assertThat(lifetime.awaitQuiescent(Duration.ofMillis(20))).isFalse();
        assertThat(lifetime.inFlight()).isEqualTo(1);
    }

    @Test
    void awaitQuiescentWaitsForCallsInFlightOnOtherThreads() throws Exception {
        Lifetime lifetime = new Lifetime("wal orders");
        int callers = 8;
        CountDownLatch entered = new CountDownLatch(callers);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger exited = new AtomicInteger();
        for (int i = 0; i < callers; i++) {
            pool.submit(() -> {
                assertThat(lifetime.tryEnter()).isTrue();
                entered.countDown();
                release.await();
                exited.incrementAndGet();
                lifetime.exit();
                return null;
            });
        }
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        lifetime.close();
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
            waiterThread.set(Thread.currentThread());
            lifetime.awaitQuiescent();
            return exited.get();
        }, pool);
        awaitWaiterParked(waiterThread);
        assertThat(waiter).isNotDone();

        release.countDown();

        // Every call exited before the waiter was released.
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(callers);
        assertThat(lifetime.inFlight()).isZero();
    }

    @Test
    void concurrentEntriesAndACloseNeverLoseACall() throws Exception {
        Lifetime lifetime = new Lifetime("wal orders");
        int callers = 6;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicBoolean enteredAfterQuiescent = new AtomicBoolean();
        AtomicBoolean quiescent = new AtomicBoolean();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                while (lifetime.tryEnter()) {
                    admitted.incrementAndGet();
                    if (quiescent.get()) {
                        enteredAfterQuiescent.set(true);
                    }
                    completed.incrementAndGet();
                    lifetime.exit();
                }
                return null;
            }));
        }
        start.countDown();
        lifetime.close();
        assertThat(lifetime.awaitQuiescent(Duration.ofSeconds(10))).isTrue();
        quiescent.set(true);
        int completedAtQuiescence = completed.get();
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }

        assertThat(completedAtQuiescence).isEqualTo(admitted.get());
        assertThat(enteredAfterQuiescent).isFalse();
        assertThat(lifetime.inFlight()).isZero();
    }

    @Test
    void interruptedAwaitQuiescentReturnsEarlyAndKeepsTheInterrupt() {
        Lifetime lifetime = new Lifetime("wal orders");
        lifetime.tryEnter();
        lifetime.close();

        Thread.currentThread().interrupt();
        try {
            lifetime.awaitQuiescent();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(lifetime.inFlight()).isEqualTo(1);
            assertThat(lifetime.awaitQuiescent(Duration.ofSeconds(10))).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void toStringShowsOwnerStateAndCount() {
        Lifetime lifetime = new Lifetime("wal orders");
        lifetime.tryEnter();

        assertThat(lifetime.toString()).contains("wal orders").contains("closed=false").contains("inFlight=1");
    }

    private static void awaitWaiterParked(AtomicReference<Thread> waiterThread) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiterThread.get() == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        UtilityTestUtils.awaitParked(waiterThread.get(), Duration.ofSeconds(10));
    }

    @Test
    void awaitQuiescentStartedBeforeCloseWakesWhenClosedWithNothingInFlight() throws Exception {
        Lifetime lifetime = new Lifetime("wal orders");
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Boolean> quiescent = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            return lifetime.awaitQuiescent(Duration.ofMinutes(1));
        }, pool);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.get() == null || waiter.get().getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("waiter parked within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        lifetime.close();
        assertThat(quiescent.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whoClosedItIsVisibleAsSoonAsItIsClosed() {
        Lifetime lifetime = new Lifetime("wal orders");
        assertThat(lifetime.closedBy()).isNull();
        assertThat(lifetime.close()).isTrue();
        assertThat(lifetime.close()).isFalse();
        assertThat(lifetime.closedBy()).hasMessageContaining("wal orders closed by thread "
                + Thread.currentThread().getName());
    }
}
