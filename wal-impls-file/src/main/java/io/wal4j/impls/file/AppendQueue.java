package io.wal4j.impls.file;

import io.wal4j.api.WALException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue between appenders and the writer thread, bounded by count and by bytes: a full queue blocks appenders
 * (back-pressure) so memory never grows without bound. One entry larger than the byte bound is admitted alone.
 *
 * <p>Thread-safe. Once {@linkplain #close closed}, puts fail with the closing reason; the writer drains what is left
 * (or, when the close aborts, fails it).
 */
final class AppendQueue {

    private final int maxCount;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<PendingAppend> queue = new ArrayDeque<>();
    private long bytes;
    private WALException closedWith;
    private boolean abort;

    AppendQueue(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /**
     * Enqueues, blocking while the queue is full.
     *
     * @throws WALException         the closing reason, if closed before or while waiting
     * @throws InterruptedException if interrupted while waiting
     */
    void put(PendingAppend append) throws InterruptedException {
        int size = append.frame().length;
        lock.lockInterruptibly();
        try {
            while (closedWith == null && !queue.isEmpty()
                    && (queue.size() >= maxCount || bytes + size > maxBytes)) {
                notFull.await();
            }
            if (closedWith != null) {
                throw closedWith;
            }
            queue.add(append);
            bytes += size;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next batch: blocks for a first entry, then takes entries up to {@code maxBatchBytes}, waiting up to
     * {@code maxDelayNanos} for the batch to fill.
     *
     * @return the batch; empty when the queue is closed and drained, or closed with abort
     */
    List<PendingAppend> takeBatch(long maxBatchBytes, long maxDelayNanos) throws InterruptedException {
        List<PendingAppend> batch = new ArrayList<>();
        lock.lock();
        try {
            while (queue.isEmpty() && closedWith == null) {
                notEmpty.await();
            }
            if (abort) {
                return batch;
            }
            long deadline = System.nanoTime() + maxDelayNanos;
            while (maxDelayNanos > 0 && closedWith == null && bytes < maxBatchBytes && queue.size() < maxCount) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                notEmpty.awaitNanos(left);
            }
            long taken = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || taken + queue.peek().frame().length <= maxBatchBytes)) {
                PendingAppend a = queue.poll();
                taken += a.frame().length;
                bytes -= a.frame().length;
                batch.add(a);
            }
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses every later put with {@code reason} and wakes everyone. With {@code abortPending}, the writer stops at
     * once and {@link #drain()} returns what was queued; otherwise it writes what is queued first.
     */
    void close(WALException reason, boolean abortPending) {
        lock.lock();
        try {
            if (closedWith == null) {
                closedWith = reason;
            }
            abort |= abortPending;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return every queued entry, removed */
    List<PendingAppend> drain() {
        lock.lock();
        try {
            List<PendingAppend> all = new ArrayList<>(queue);
            queue.clear();
            bytes = 0;
            notFull.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** @return the reason given to {@link #close}, or null while open */
    WALException closedReason() {
        lock.lock();
        try {
            return closedWith;
        } finally {
            lock.unlock();
        }
    }

    /** @return the number of queued appends */
    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
