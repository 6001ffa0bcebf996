package io.wal4j.adaptor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A fair (FIFO) read-write lock whose waiters hold no thread: {@link #acquire} returns a future completed when the lock
 * is granted. Shared holders may be many, an exclusive holder is alone; once an exclusive request waits, later shared
 * requests queue behind it (no writer starvation).
 *
 * <p>A waiter gives up by failing its future ({@link CompletableFuture#completeExceptionally}) and calling
 * {@link #abandon}; a grant racing with that is released at once. Completions run outside the lock, on the thread that
 * released. Thread-safe.
 */
final class AsyncReadWriteLock {

    private record Waiter(boolean exclusive, CompletableFuture<Void> granted) {
    }

    private ArrayDeque<Waiter> queue; // created with the first waiter: most locks never have one; guarded by this
    private int readers;
    private boolean writer;

    /** @return completed once the lock is held (shared, or exclusive when {@code exclusive}) */
    CompletableFuture<Void> acquire(boolean exclusive) {
        synchronized (this) {
            if (noWaiters() && canGrant(exclusive)) {
                grant(exclusive);
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> granted = new CompletableFuture<>();
            if (queue == null) {
                queue = new ArrayDeque<>();
            }
            queue.addLast(new Waiter(exclusive, granted));
            return granted;
        }
    }

    /**
     * Takes the lock at once if it is free for this request and nobody waits; never queues.
     *
     * @return whether the lock is now held (shared, or exclusive when {@code exclusive})
     */
    synchronized boolean tryAcquire(boolean exclusive) {
        if (noWaiters() && canGrant(exclusive)) {
            grant(exclusive);
            return true;
        }
        return false;
    }

    /** Releases a hold taken with {@link #acquire}{@code (exclusive)}; wakes the waiters that can now be granted. */
    void release(boolean exclusive) {
        List<Waiter> woken = new ArrayList<>();
        synchronized (this) {
            if (exclusive) {
                writer = false;
            } else {
                readers--;
            }
            while (!noWaiters() && canGrant(queue.peekFirst().exclusive())) {
                Waiter next = queue.pollFirst();
                grant(next.exclusive());
                woken.add(next);
            }
        }
        for (Waiter waiter : woken) {
            if (!waiter.granted().complete(null)) {
                release(waiter.exclusive()); // the waiter gave up meanwhile
            }
        }
    }

    /** Forgets a waiter whose future was failed by its owner; if it was granted meanwhile, the grant is released. */
    void abandon(CompletableFuture<Void> granted) {
        boolean queued;
        synchronized (this) {
            queued = queue != null && queue.removeIf(w -> w.granted() == granted);
        }
        if (queued) {
            // Removing a waiter may let those behind it in (an abandoned writer no longer blocks readers).
            wakeAfterRemoval();
        }
    }

    private void wakeAfterRemoval() {
        List<Waiter> woken = new ArrayList<>();
        synchronized (this) {
            while (!noWaiters() && canGrant(queue.peekFirst().exclusive())) {
                Waiter next = queue.pollFirst();
                grant(next.exclusive());
                woken.add(next);
            }
        }
        for (Waiter waiter : woken) {
            if (!waiter.granted().complete(null)) {
                release(waiter.exclusive());
            }
        }
    }

    /** @return how many requests wait (tests) */
    synchronized int waiting() {
        return queue == null ? 0 : queue.size();
    }

    private boolean noWaiters() {
        return queue == null || queue.isEmpty();
    }

    private boolean canGrant(boolean exclusive) {
        return exclusive ? !writer && readers == 0 : !writer;
    }

    private void grant(boolean exclusive) {
        if (exclusive) {
            writer = true;
        } else {
            readers++;
        }
    }
}
