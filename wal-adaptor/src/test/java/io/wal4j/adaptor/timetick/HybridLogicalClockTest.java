package io.wal4j.adaptor.timetick;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

    @Test
    void ticksFollowTheWallClockInTheHighBits() {
        AtomicLong now = new AtomicLong(1_000);
        HybridLogicalClock clock = new HybridLogicalClock(now::get);
        long first = clock.allocate();
        assertThat(HybridLogicalClock.physicalMillis(first)).isEqualTo(1_000);
        now.set(2_000);
        assertThat(HybridLogicalClock.physicalMillis(clock.allocate())).isEqualTo(2_000);
    }

    @Test
    void ticksKeepIncreasingWhenTheWallClockStandsStillOrStepsBack() {
        AtomicLong now = new AtomicLong(5_000);
        HybridLogicalClock clock = new HybridLogicalClock(now::get);
        long previous = clock.allocate();
        for (long wall : new long[] {5_000, 5_000, 4_000, 0, 4_999, 5_001, 3}) {
            now.set(wall);
            long tick = clock.allocate();
            assertThat(tick).as("after wall clock %d", wall).isGreaterThan(previous);
            previous = tick;
        }
    }

    @Test
    void observedTicksFromAnEarlierRunAreNeverRepeated() {
        HybridLogicalClock earlierRun = new HybridLogicalClock(() -> 9_000);
        long lastOfEarlierRun = earlierRun.allocate();
        HybridLogicalClock reopenedWithClockBehind = new HybridLogicalClock(() -> 1_000);
        reopenedWithClockBehind.observe(lastOfEarlierRun);
        assertThat(reopenedWithClockBehind.allocate()).isGreaterThan(lastOfEarlierRun);
    }

    @Test
    void concurrentAllocationsAreAllDistinct() throws InterruptedException {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 42);
        ConcurrentLinkedQueue<Long> ticks = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    ticks.add(clock.allocate());
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(ticks).hasSize(80_000).doesNotHaveDuplicates();
    }
}
