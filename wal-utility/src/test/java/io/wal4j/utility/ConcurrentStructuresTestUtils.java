package io.wal4j.utility;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Helpers for the tests of the buffers and queues in this package. */
final class ConcurrentStructuresTestUtils {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    private ConcurrentStructuresTestUtils() {
    }

    /**
     * Waits until {@code condition} holds, probing it with spin-waits; used only to observe that another thread
     * reached a blocking call (through the structures' waiter-count seams), never to let time pass.
     */
    static void awaitTrue(BooleanSupplier condition, String what) throws TimeoutException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("not true within " + PATIENCE + ": " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
