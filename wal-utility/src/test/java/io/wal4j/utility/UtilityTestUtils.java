package io.wal4j.utility;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Helpers shared by this module's tests. */
final class UtilityTestUtils {

    private UtilityTestUtils() {
    }

    /**
     * Waits until {@code thread} is parked (WAITING or TIMED_WAITING), i.e. it reached a blocking call. Only a probe
     * of the thread's state, bounded by {@code timeout}; never used to let time pass.
     */
    static void awaitParked(Thread thread, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED) {
                throw new IllegalStateException(thread.getName() + " terminated instead of blocking");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException(thread.getName() + " did not block within " + timeout + ", state " + state);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
