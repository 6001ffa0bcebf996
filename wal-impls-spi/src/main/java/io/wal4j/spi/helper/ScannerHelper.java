package io.wal4j.spi.helper;

import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ready-made {@link ScannerImpls} for backends whose reading is naturally a background loop (a thread reading a
 * file, a consumer polling a broker). The backend's <em>producer</em> hands messages over with {@link #offer} and
 * ends with {@link #finish} exactly once; the adaptor <em>consumes</em> with {@link #poll}/{@link #take}. Between
 * them sits a bounded buffer of {@link ReadOptionImpls#readAhead()} messages, so a fast producer waits for a slow
 * consumer instead of filling memory.
 *
 * <pre>{@code
 * ScannerHelper helper = new ScannerHelper(option);
 * Thread reader = threadFactory.newThread(() -> {
 *     Throwable failure = null;
 *     try {
 *         while (!helper.isCancelled()) {
 *             ImmutableMessage next = log.next();          // blocks at the end of the log
 *             if (next == null || !helper.offer(next)) {
 *                 break;                                     // cancelled
 *             }
 *         }
 *     } catch (Throwable t) {
 *         failure = t;
 *     } finally {
 *         helper.finish(failure);
 *     }
 * });
 * helper.onCancel(log::wakeUp);                             // unblock log.next() when the scanner closes
 * reader.start();
 * return helper;                                            // or wrap it in the backend's XxxScanner
 * }</pre>
 *
 * <p><b>Lifetime.</b> The scanner ends when the producer calls {@link #finish} or the owner calls {@link #close()}.
 * {@link #close()} cancels: it runs the cancel hooks, wakes a producer blocked in {@link #offer} (which then returns
 * false) and a consumer blocked in {@link #take} (which then throws {@link WALClosedException}), and waits, at most
 * the close timeout, for the producer to call {@link #finish}. If {@link #finish} reports a failure, the consumer
 * first receives every message already buffered and then the failure, as a {@link WALException}.
 *
 * <p><b>Thread-safety.</b> One producer thread and one consumer thread, as {@link ScannerImpls} says; {@link #close()},
 * {@link #done()}, {@link #onCancel}, {@link #isCancelled()} and {@link #finish} from any thread. Waiting is done
 * with a {@link ReentrantLock} and its {@link Condition}s, never by polling. Hooks and {@link #done()} callbacks run
 * outside the lock.
 */
public final class ScannerHelper implements ScannerImpls {

    /** How long {@link #close()} waits for the producer's {@link #finish} unless told otherwise. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ScannerHelper.class);

    private final String name;
    private final int capacity;
    private final Duration closeTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition finishedCondition = lock.newCondition();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    // Guarded by lock.
    private final ArrayDeque<ImmutableMessage> buffer = new ArrayDeque<>();
    private final List<Runnable> cancelHooks = new ArrayList<>();
    private boolean finished;
    private WALException failure;
    private Throwable closedBy;

    // Written under lock, read without it by the producer's fast checks.
    private volatile boolean cancelled;

    /**
     * A helper named after the option, buffering up to its read-ahead, closing with the default timeout.
     *
     * @param option the scanner's name and read-ahead
     * @throws NullPointerException if {@code option} is null
     */
    public ScannerHelper(ReadOptionImpls option) {
        this(Objects.requireNonNull(option, "option").name(), option.readAhead(), DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * @param name         the scanner's name, returned by {@link #name()}
     * @param capacity     how many messages may wait between producer and consumer, {@code >= 1}
     * @param closeTimeout how long {@link #close()} waits for {@link #finish}; zero does not wait
     * @throws NullPointerException     if {@code name} or {@code closeTimeout} is null
     * @throws IllegalArgumentException if {@code name} is blank, {@code capacity < 1} or the timeout is negative
     */
    public ScannerHelper(String name, int capacity, Duration closeTimeout) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (name.isBlank()) {
            throw new IllegalArgumentException("scanner name must not be blank, got \"" + name + "\"");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative, got " + closeTimeout);
        }
        this.name = name;
        this.capacity = capacity;
        this.closeTimeout = closeTimeout;
    }

    @Override
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- producer side

    /**
     * Hands a message to the consumer, waiting while the buffer is full.
     *
     * @param message the next message in id order
     * @return true once buffered; false if the scanner was cancelled (before or while waiting) or the calling thread
     *     was interrupted while waiting (its interrupt status is then kept): either way the producer should stop and
     *     {@link #finish}
     * @throws NullPointerException  if {@code message} is null
     * @throws IllegalStateException if {@link #finish} was called before or while waiting (a second producer) and the
     *                               scanner is not cancelled
     */
    public boolean offer(ImmutableMessage message) {
        Objects.requireNonNull(message, "message");
        lock.lock();
        try {
            while (true) {
                if (cancelled) {
                    // Checked first: a cancel hook may already have finished on the producer's behalf.
                    return false;
                }
                if (finished) {
                    throw new IllegalStateException("scanner " + name + " already finished; cannot offer "
                            + message.id());
                }
                if (buffer.size() < capacity) {
                    break;
                }
                notFull.await();
            }
            buffer.addLast(message);
            notEmpty.signal();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the producer side; call it exactly once, when the read loop exits. A failure is translated once:
     * a {@link WALException} is kept as it is, an {@link IOException} (or {@link UncheckedIOException}) becomes a
     * {@link WALStorageException}, anything else a {@link WALException}; {@link #done()} completes exceptionally with
     * it and the consumer gets it after the buffered messages. When the scanner was already cancelled, the failure
     * is taken as a consequence of the cancellation: it is logged and {@link #done()} completes normally.
     *
     * @param failureOrNull why the loop stopped, or null for a normal stop
     * @return true for the first call; later calls change nothing and return false
     */
    public boolean finish(Throwable failureOrNull) {
        WALException translated = failureOrNull == null ? null : translate(failureOrNull);
        boolean wasCancelled;
        lock.lock();
        try {
            if (finished) {
                return false;
            }
            finished = true;
            wasCancelled = cancelled;
            failure = wasCancelled ? null : translated;
            notEmpty.signalAll();
            notFull.signalAll();
            finishedCondition.signalAll();
        } finally {
            lock.unlock();
        }
        if (translated != null && wasCancelled) {
            LOG.debug("scanner {} finished with a failure after it was cancelled", name, translated);
        }
        if (translated == null || wasCancelled) {
            done.complete(null);
        } else {
            done.completeExceptionally(translated);
        }
        return true;
    }

    /** @return whether {@link #close()} was called; a producer checks it between reads */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Runs {@code hook} once when the scanner is closed, on the closing thread, before close waits for
     * {@link #finish}: the place to wake a producer blocked in the backend. If already closed, runs it now on this
     * thread. A hook that throws is logged and does not stop the others.
     *
     * @param hook what to run on cancellation; must not block for long
     * @throws NullPointerException if {@code hook} is null
     */
    public void onCancel(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        lock.lock();
        try {
            if (!cancelled) {
                cancelHooks.add(hook);
                return;
            }
        } finally {
            lock.unlock();
        }
        runHook(hook);
    }

    // ---------------------------------------------------------------- consumer side

    /**
     * @param timeout how long to wait for a message; zero or negative does not wait
     * @return the next message, or null when none arrived within {@code timeout}
     * @throws NullPointerException if {@code timeout} is null
     * @throws WALClosedException   if the scanner is closed (also while waiting; the cause says where it was closed),
     *                              if the producer finished normally and the buffer is drained, or if the thread is
     *                              interrupted while waiting (the interrupt is kept)
     * @throws WALException         the producer's failure, once the buffer is drained
     */
    @Override
    public ImmutableMessage poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos = saturatedNanos(timeout);
        lock.lock();
        try {
            while (true) {
                ImmutableMessage next = nextOrEnd();
                if (next != null) {
                    return next;
                }
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            throw interrupted();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the next message, never null
     * @throws WALClosedException if the scanner is closed (also while waiting), if the producer finished normally and
     *                            the buffer is drained, or if the thread is interrupted (the interrupt is kept)
     * @throws WALException       the producer's failure, once the buffer is drained
     */
    @Override
    public ImmutableMessage take() {
        lock.lock();
        try {
            while (true) {
                ImmutableMessage next = nextOrEnd();
                if (next != null) {
                    return next;
                }
                notEmpty.await();
            }
        } catch (InterruptedException e) {
            throw interrupted();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return a future completed when the producer {@linkplain #finish finishes}: normally after a normal finish or a
     *     close, exceptionally with the translated failure otherwise; also completed normally by a close whose wait
     *     for {@link #finish} timed out. Callbacks run on the thread that completes it.
     */
    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Cancels the scanner: refuses further consumption, drops buffered messages, wakes both sides, runs the cancel
     * hooks (first call only), then waits at most the close timeout for {@link #finish}. Idempotent; never throws;
     * an interrupt ends the wait early and is kept.
     */
    @Override
    public void close() {
        List<Runnable> hooks = cancel();
        hooks.forEach(this::runHook);
        if (!awaitFinished() && done.complete(null)) {
            LOG.warn("scanner {}: its producer did not finish within {} of close; considering it done", name,
                    closeTimeout);
        }
    }

    private List<Runnable> cancel() {
        lock.lock();
        try {
            if (cancelled) {
                return List.of();
            }
            cancelled = true;
            closedBy = new Throwable("scanner " + name + " closed by thread " + Thread.currentThread().getName());
            buffer.clear();
            notEmpty.signalAll();
            notFull.signalAll();
            List<Runnable> hooks = List.copyOf(cancelHooks);
            cancelHooks.clear();
            return hooks;
        } finally {
            lock.unlock();
        }
    }

    private boolean awaitFinished() {
        long nanos = saturatedNanos(closeTimeout);
        lock.lock();
        try {
            while (!finished) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = finishedCondition.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /** Under lock: the next message, or null to wait; throws when the scanner can deliver nothing more. */
    private ImmutableMessage nextOrEnd() {
        if (cancelled) {
            throw new WALClosedException("scanner " + name + " is closed", closedBy);
        }
        ImmutableMessage next = buffer.pollFirst();
        if (next != null) {
            notFull.signal();
            return next;
        }
        if (finished) {
            if (failure != null) {
                throw failure;
            }
            throw new WALClosedException("scanner " + name + " has ended: its backend finished reading");
        }
        return null;
    }

    private WALClosedException interrupted() {
        Thread.currentThread().interrupt();
        return new WALClosedException("scanner " + name + ": interrupted while waiting for a message");
    }

    private void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("scanner {}: a cancel hook failed", name, e);
        }
    }

    private WALException translate(Throwable failure) {
        if (failure instanceof WALException walException) {
            return walException;
        }
        if (failure instanceof IOException || failure instanceof UncheckedIOException) {
            return new WALStorageException("scanner " + name + " failed reading its backend: " + failure, failure);
        }
        return new WALException("scanner " + name + " failed: " + failure, failure);
    }

    private static long saturatedNanos(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ScannerHelper{" + name + ", buffered=" + buffer.size() + "/" + capacity + ", cancelled="
                    + cancelled + ", finished=" + finished + "}";
        } finally {
            lock.unlock();
        }
    }
}
