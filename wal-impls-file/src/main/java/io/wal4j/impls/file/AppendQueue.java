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
    /** While the writer settles: the count, or bytes, at which a put wakes it; otherwise every put does. */
    private int wakeCount = 1;
    private long wakeBytes;
    private int blockedPutters;
    /** Whether the last settle ended because its condition held rather than by timing out; writer thread only. */
    private boolean lastSettleMet;

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
                // A full queue ends the writer's settling: nothing more can arrive until it takes a batch.
                blockedPutters++;
                notEmpty.signal();
                try {
                    notFull.await();
                } finally {
                    blockedPutters--;
                }
            }
            if (closedWith != null) {
                throw closedWith;
            }
            queue.add(append);
            bytes += size;
            if (queue.size() >= wakeCount || bytes >= wakeBytes) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next batch without settling: {@code takeBatch(maxBatchBytes, maxDelayNanos, 0, 0)}.
     *
     * @return the batch; empty when the queue is closed and drained, or closed with abort
     */
    List<PendingAppend> takeBatch(long maxBatchBytes, long maxDelayNanos) throws InterruptedException {
        return takeBatch(maxBatchBytes, maxDelayNanos, 0, 0);
    }

    /**
     * Takes the next batch. First it <em>settles</em>: when {@code returning > 0}, it waits up to
     * {@code settleNanos} for {@code returning} more entries than are queued now (at most {@code maxCount} in all),
     * or for {@code maxBatchBytes} queued. Then it blocks for a first entry, waits up to {@code maxDelayNanos} for
     * the batch to fill to {@code maxBatchBytes}, and takes entries up to {@code maxBatchBytes} (at least one).
     *
     * <p>Settling is how the writer keeps a closed-loop appender's window in one force: the appenders whose
     * acknowledgements were just handed out usually append again at once, and a batch taken before they do splits
     * the window over two forces for good (each force then waits for the other).
     *
     * @param returning   how many more entries to wait for, typically the size of the batch just acknowledged; 0
     *                    takes what is queued at once
     * @param settleNanos the longest wait for them
     * @return the batch; empty when the queue is closed and drained, or closed with abort
     */
    List<PendingAppend> takeBatch(long maxBatchBytes, long maxDelayNanos, int returning, long settleNanos)
            throws InterruptedException {
        List<PendingAppend> batch;
        lock.lock();
        try {
            lastSettleMet = true;
            if (returning > 0 && settleNanos > 0) {
                lastSettleMet = settle((int) Math.min(maxCount, (long) queue.size() + returning), maxBatchBytes,
                        settleNanos);
            }
            while (queue.isEmpty() && closedWith == null) {
                notEmpty.await();
            }
            if (abort) {
                return new ArrayList<>();
            }
            long deadline = System.nanoTime() + maxDelayNanos;
            while (maxDelayNanos > 0 && closedWith == null && bytes < maxBatchBytes && queue.size() < maxCount) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                notEmpty.awaitNanos(left);
            }
            batch = new ArrayList<>(queue.size());
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
     * Waits until {@code count} entries or {@code byteBound} bytes are queued, an appender blocks on a full queue,
     * the queue closes or {@code nanos} pass. Puts wake the writer only when one of these holds.
     *
     * @return false if it timed out, true if one of the other conditions ended it
     */
    private boolean settle(int count, long byteBound, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        wakeCount = count;
        wakeBytes = byteBound;
        try {
            while (closedWith == null && blockedPutters == 0 && queue.size() < count && bytes < byteBound) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                notEmpty.awaitNanos(left);
            }
            return true;
        } finally {
            wakeCount = 1;
            wakeBytes = 0;
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

    /**
     * @return false if the settle of the last {@link #takeBatch} timed out before its appenders came back; true
     *     otherwise (also when it did not settle). For the writer thread, which takes the batches.
     */
    boolean lastSettleMet() {
        return lastSettleMet;
    }

    /** @return whether the writer is waiting in {@link #takeBatch} (for tests) */
    boolean writerWaiting() {
        lock.lock();
        try {
            return lock.hasWaiters(notEmpty);
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
