package io.wal4j.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Keeps at most {@code size} asynchronous appends in flight: {@link #acquire()} before an append, {@link #release}
 * as its completion callback. A failed append is kept and rethrown by the next {@link #acquire()}, so a benchmark
 * never measures failures as throughput. Thread-safe.
 */
final class AppendWindow {

    private final int size;
    private final Semaphore permits;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BiConsumer<Object, Throwable> release;

    AppendWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + size);
        }
        this.size = size;
        this.permits = new Semaphore(size);
        this.release = (result, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            permits.release();
        };
    }

    /**
     * Waits for a free slot.
     *
     * @throws IllegalStateException if an earlier append failed (its cause attached)
     * @throws InterruptedException  if interrupted while waiting
     */
    void acquire() throws InterruptedException {
        permits.acquire();
        checkFailure();
    }

    /** @return the completion callback that frees a slot (pass it to {@code whenComplete}) */
    BiConsumer<Object, Throwable> release() {
        return release;
    }

    /**
     * Waits until every append in flight has completed.
     *
     * @throws IllegalStateException if an append failed
     * @throws InterruptedException  if interrupted while waiting
     */
    void drain() throws InterruptedException {
        permits.acquire(size);
        permits.release(size);
        checkFailure();
    }

    private void checkFailure() {
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("an append failed", error);
        }
    }
}
