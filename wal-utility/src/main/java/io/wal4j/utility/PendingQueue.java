package io.wal4j.utility;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * A FIFO hand-off with back-pressure between a scanner's pipeline (the producer) and its consumer: the pending queue
 * of Milvus reference §3.5. It is bounded by a number of items and by their summed size in bytes; a producer that
 * would exceed either bound waits until the consumer has taken enough. An empty queue always admits one item, so an
 * item larger than the byte bound still passes, alone.
 *
 * <p><b>Closing.</b> {@link #close()} (or {@link #close(Throwable)}, to say why, for example the upstream failure
 * that ended the scanner) stops the producer side at once: a blocked or later {@code put}/{@code offer} throws
 * {@link BufferClosedException}. The consumer side drains what is already queued, then every {@code take} or
 * {@code poll} throws {@link BufferClosedException}, whose cause is the close cause. {@code close} is idempotent;
 * the first cause wins; it never throws.
 *
 * <p><b>Threads.</b> Thread-safe: any number of producers and consumers, one {@link ReentrantLock} with a
 * {@link Condition} per side, no polling. Order is preserved per producer (one producer in the adaptor). Blocking
 * methods are interruptible and throw {@link InterruptedException}. The size function runs on the producer's thread
 * outside the lock.
 *
 * @param <T> the item type
 */
public final class PendingQueue<T> implements AutoCloseable {

    private final int maxCount;
    private final long maxBytes;
    private final ToLongFunction<? super T> sizeOf;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();

    // Guarded by lock; each element pairs an item with its size so take() can release exactly what put() reserved.
    private final ArrayDeque<Sized<T>> items = new ArrayDeque<>();
    private long bytes;
    private boolean closed;
    private Throwable closeCause;

    /**
     * Creates a queue bounded by count only.
     *
     * @param maxCount the most items queued at once; positive
     * @throws IllegalArgumentException if {@code maxCount} is not positive
     */
    public PendingQueue(int maxCount) {
        this(maxCount, Long.MAX_VALUE, item -> 0L);
    }

    /**
     * Creates an empty queue. Use {@code Integer.MAX_VALUE} or {@code Long.MAX_VALUE} for a bound that should not
     * apply.
     *
     * @param maxCount the most items queued at once; positive
     * @param maxBytes the most bytes queued at once, unless a single item is larger; positive
     * @param sizeOf   the estimated size of an item in bytes; must not be negative
     * @throws NullPointerException     if {@code sizeOf} is null
     * @throws IllegalArgumentException if a bound is not positive
     */
    public PendingQueue(int maxCount, long maxBytes, ToLongFunction<? super T> sizeOf) {
        this.sizeOf = Objects.requireNonNull(sizeOf, "sizeOf");
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive, got " + maxCount);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends an item, waiting while the queue is full.
     *
     * @param item the item
     * @throws NullPointerException     if {@code item} is null
     * @throws IllegalArgumentException if the size function returns a negative size
     * @throws InterruptedException     if the thread is interrupted while waiting; the item is not queued
     * @throws BufferClosedException    if the queue is or becomes closed; the item is not queued
     */
    public void put(T item) throws InterruptedException {
        Sized<T> sized = sized(item);
        lock.lockInterruptibly();
        try {
            while (!ensureOpenAndFits(sized.size)) {
                notFull.await();
            }
            enqueue(sized);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends an item if there is room now.
     *
     * @param item the item
     * @return true if queued, false if the queue is full
     * @throws NullPointerException     if {@code item} is null
     * @throws IllegalArgumentException if the size function returns a negative size
     * @throws BufferClosedException    if the queue is closed
     */
    public boolean offer(T item) {
        Sized<T> sized = sized(item);
        lock.lock();
        try {
            if (!ensureOpenAndFits(sized.size)) {
                return false;
            }
            enqueue(sized);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the oldest item, waiting as long as it takes for one.
     *
     * @return the item
     * @throws InterruptedException  if the thread is interrupted while waiting
     * @throws BufferClosedException if the queue is closed and drained, or becomes so while waiting
     */
    public T take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!ensureItemOrOpen()) {
                notEmpty.await();
            }
            return dequeue();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the oldest item, waiting at most {@code timeout} for one.
     *
     * @param timeout how long to wait; zero or negative means do not wait
     * @return the item, or null if none arrived in time
     * @throws NullPointerException  if {@code timeout} is null
     * @throws InterruptedException  if the thread is interrupted while waiting
     * @throws BufferClosedException if the queue is closed and drained, or becomes so while waiting
     */
    public T poll(Duration timeout) throws InterruptedException {
        long remaining = saturatedNanos(Objects.requireNonNull(timeout, "timeout"));
        lock.lockInterruptibly();
        try {
            while (!ensureItemOrOpen()) {
                if (remaining <= 0) {
                    return null;
                }
                remaining = notEmpty.awaitNanos(remaining);
            }
            return dequeue();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the oldest item if there is one, without waiting.
     *
     * @return the item, or null if the queue is empty and open
     * @throws BufferClosedException if the queue is closed and drained
     */
    public T poll() {
        lock.lock();
        try {
            return ensureItemOrOpen() ? dequeue() : null;
        } finally {
            lock.unlock();
        }
    }

    /** @return the number of queued items */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return the summed size of the queued items */
    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the queue was closed */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the queue without a cause. Idempotent; never throws. */
    @Override
    public void close() {
        close(null);
    }

    /**
     * Closes the queue: producers fail at once, consumers drain what is queued and then fail, both with a
     * {@link BufferClosedException} whose cause is {@code cause}. Wakes every blocked thread. Only the first close
     * counts. Never throws.
     *
     * @param cause why the queue was closed, or null for an ordinary close
     */
    public void close(Throwable cause) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeCause = cause;
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return how many threads wait in {@code put} for room (a test seam) */
    int waitingProducers() {
        lock.lock();
        try {
            return lock.getWaitQueueLength(notFull);
        } finally {
            lock.unlock();
        }
    }

    /** @return how many threads wait in {@code take}/{@code poll} for an item (a test seam) */
    int waitingConsumers() {
        lock.lock();
        try {
            return lock.getWaitQueueLength(notEmpty);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "PendingQueue{size=" + items.size() + "/" + maxCount + ", bytes=" + bytes + "/" + maxBytes
                    + ", closed=" + closed + "}";
        } finally {
            lock.unlock();
        }
    }

    private Sized<T> sized(T item) {
        Objects.requireNonNull(item, "item");
        long size = sizeOf.applyAsLong(item);
        if (size < 0) {
            throw new IllegalArgumentException("size of item is negative: " + size);
        }
        return new Sized<>(item, size);
    }

    /** Called with the lock held. */
    private boolean ensureOpenAndFits(long size) {
        if (closed) {
            throw closedException();
        }
        // An empty queue admits anything, so an oversized item cannot wait forever.
        return items.isEmpty() || (items.size() < maxCount && size <= maxBytes - bytes);
    }

    /** Called with the lock held. */
    private boolean ensureItemOrOpen() {
        if (!items.isEmpty()) {
            return true;
        }
        if (closed) {
            throw closedException();
        }
        return false;
    }

    private void enqueue(Sized<T> sized) {
        items.addLast(sized);
        bytes += sized.size;
        notEmpty.signal();
    }

    private T dequeue() {
        Sized<T> sized = items.removeFirst();
        bytes -= sized.size;
        // Sizes differ, so a freed slot may satisfy several producers or none in particular: let each re-check.
        notFull.signalAll();
        return sized.item;
    }

    private BufferClosedException closedException() {
        return new BufferClosedException("pending queue is closed", closeCause);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static final class Sized<T> {
        final T item;
        final long size;

        Sized(T item, long size) {
            this.item = item;
            this.size = size;
        }
    }
}
