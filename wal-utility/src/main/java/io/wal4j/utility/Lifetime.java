package io.wal4j.utility;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Guards the calls of a closeable resource: each call {@linkplain #tryEnter() enters} and {@linkplain #exit()
 * exits}; {@link #close()} refuses new entries and {@link #awaitQuiescent()} waits until every entered call has
 * exited. Records who closed it, so later refusals can say so.
 *
 * <p>Thread-safe and lock-free on the enter/exit path: the state is one {@code long} holding the in-flight count
 * shifted left by one and a closed bit.
 */
public final class Lifetime {

    private static final long CLOSED = 1L;
    private static final long ONE = 2L;

    private final String owner;
    private final AtomicLong state = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiescent = lock.newCondition();
    private final AtomicReference<Throwable> closedBy = new AtomicReference<>();

    /** @param owner a description of the guarded resource, used in {@link #closedBy()} */
    public Lifetime(String owner) {
        this.owner = owner;
    }

    /** @return true if the call may proceed (the caller must then {@link #exit()}); false once closed */
    public boolean tryEnter() {
        while (true) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + ONE)) {
                return true;
            }
        }
    }

    /** Ends a call that {@link #tryEnter()} admitted. */
    public void exit() {
        long s = state.addAndGet(-ONE);
        if (s < 0) {
            throw new IllegalStateException("exit() without a matching tryEnter() on " + owner);
        }
        if (s == CLOSED) {
            signalQuiescent();
        }
    }

    /**
     * Refuses every later {@link #tryEnter()}; does not wait. {@link #closedBy()} is set before the closed state is
     * visible, so any thread that sees the lifetime closed also sees who closed it.
     *
     * @return true for the call that closed it, false if it was already closed
     */
    public boolean close() {
        Throwable marker = new Throwable(owner + " closed by thread " + Thread.currentThread().getName());
        if (!closedBy.compareAndSet(null, marker)) {
            return false;
        }
        long before = state.getAndUpdate(s -> s | CLOSED);
        if (before == 0) {
            signalQuiescent();
        }
        return true;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** @return the number of calls in flight */
    public long inFlight() {
        return state.get() >>> 1;
    }

    /** @return a throwable whose stack trace shows where {@link #close()} was called, or null while open */
    public Throwable closedBy() {
        return closedBy.get();
    }

    /**
     * Waits until the resource is closed and no call is in flight. Keeps the interrupt status if interrupted and
     * returns early.
     */
    public void awaitQuiescent() {
        awaitQuiescent(Duration.ofNanos(Long.MAX_VALUE));
    }

    /**
     * Waits at most {@code timeout} until closed with no call in flight.
     *
     * @return whether it became quiescent in time
     */
    public boolean awaitQuiescent(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (state.get() != CLOSED) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = quiescent.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void signalQuiescent() {
        lock.lock();
        try {
            quiescent.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Lifetime{" + owner + ", closed=" + isClosed() + ", inFlight=" + inFlight() + "}";
    }
}
