package io.wal4j.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Sends at a fixed rate on the calling thread and hands each send its <em>intended</em> time, so a latency measured
 * from it includes any time the sender fell behind (the coordinated-omission correction): when a send is late, the
 * following ones go out at once, each still charged from its own schedule slot. Stateless.
 */
final class FixedRateSender {

    /** Below this much time to wait, spin instead of parking: parking overshoots by tens of microseconds. */
    private static final long SPIN_NANOS = 30_000;

    private FixedRateSender() {
    }

    /**
     * @param perSecond     sends per second, at least 1
     * @param durationNanos how long to send
     * @param send          receives each intended send time ({@link System#nanoTime()} scale)
     * @return the number of sends
     * @throws IllegalArgumentException if {@code perSecond} is below 1
     */
    static long run(long perSecond, long durationNanos, LongConsumer send) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("rate must be >= 1 per second, got " + perSecond);
        }
        double interval = 1e9 / perSecond;
        long count = (long) (durationNanos / interval);
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long intended = start + (long) (i * interval);
            waitUntil(intended);
            send.accept(intended);
        }
        return count;
    }

    private static void waitUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            long gap = deadline - now;
            if (gap > SPIN_NANOS) {
                LockSupport.parkNanos(gap - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
