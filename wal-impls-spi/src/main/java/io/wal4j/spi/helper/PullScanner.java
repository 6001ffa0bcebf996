package io.wal4j.spi.helper;

import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A ready-made {@link ScannerImpls} for backends whose reading is naturally done by the consuming thread itself: it
 * waits on the storage's own condition until the next message is readable (an in-memory log, a local file tailed
 * under a lock). The counterpart of {@link ScannerHelper}, which suits a background read loop: here there is no
 * thread and no buffer, so a message acknowledged before {@link #poll poll(Duration.ZERO)} is returned by it, which
 * {@link io.wal4j.spi.ReadOnlyWALImpls#readLast()}'s default and the adaptor's catch-up rely on for local backends.
 *
 * <p>The backend supplies a {@link Cursor}, which holds the position; this class supplies the rest: the timeouts of
 * {@link #poll}, the lifetime (a call after {@link #close()} throws {@link WALClosedException}), a terminal
 * {@linkplain #fail failure}, the {@link #done()} future and the wake-ups.
 *
 * <p><b>Thread-safety.</b> {@link #poll} and {@link #take} are for one consuming thread (the cursor is confined to
 * it); {@link #close()}, {@link #fail} and {@link #done()} for any thread, and they wake a blocked consumer at once.
 * <b>Lifetime.</b> {@link #close()} completes {@link #done()} normally and runs the close hook once; {@link #fail}
 * completes it exceptionally, unless it is already complete.
 */
public final class PullScanner implements ScannerImpls {

    /** The backend's position in its storage. */
    public interface Cursor {

        /**
         * Waits for the next message and moves past it.
         *
         * @param timeoutNanos how long to wait, {@code >= 0}; {@link Long#MAX_VALUE} waits without limit
         * @param stop         true once the scanner is closed or failed: the wait must check it under the storage's
         *                     lock before each wait and return null when it is true
         * @return the next message, or null when the time is up or {@code stop} turned true
         * @throws InterruptedException if the thread is interrupted while waiting
         */
        ImmutableMessage next(long timeoutNanos, BooleanSupplier stop) throws InterruptedException;

        /** Wakes a consumer blocked in {@link #next} so it re-checks {@code stop}; called from any thread. */
        void wakeUp();
    }

    private final String name;
    private final String description;
    private final Cursor cursor;
    private final Runnable onClose;
    private final Lifetime lifetime;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile WALException failure;

    /**
     * @param name        the scanner's name, returned by {@link #name()}
     * @param description names the scanner in exception messages, for example {@code "memory scanner s on c:rw@1"}
     * @param cursor      the backend's position, owned by the scanner from now on
     * @param onClose     run once by the first {@link #close()}: deregisters the scanner from its WAL
     * @throws NullPointerException if an argument is null
     */
    public PullScanner(String name, String description, Cursor cursor, Runnable onClose) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.cursor = Objects.requireNonNull(cursor, "cursor");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        this.lifetime = new Lifetime(description);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * A zero or negative timeout returns a readable message or null without waiting.
     *
     * @throws NullPointerException if {@code timeout} is null
     * @throws WALClosedException   if the scanner is closed (also while waiting), or the thread is interrupted while
     *                              waiting (the interrupt is kept)
     * @throws WALException         the scanner's {@linkplain #fail failure}
     */
    @Override
    public ImmutableMessage poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException e) {
            nanos = timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
        return next(nanos);
    }

    /** @throws WALClosedException, WALException as {@link #poll} does */
    @Override
    public ImmutableMessage take() {
        return next(Long.MAX_VALUE);
    }

    private ImmutableMessage next(long timeoutNanos) {
        if (!lifetime.tryEnter()) {
            throw closedException();
        }
        try {
            ImmutableMessage message = cursor.next(timeoutNanos, this::stopped);
            if (message == null) {
                checkRunning();
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WALClosedException(description + " was interrupted while waiting", e);
        } finally {
            lifetime.exit();
        }
    }

    private boolean stopped() {
        return lifetime.isClosed() || failure != null;
    }

    private void checkRunning() {
        if (lifetime.isClosed()) {
            throw closedException();
        }
        WALException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    private WALClosedException closedException() {
        return new WALClosedException(description + " is closed", lifetime.closedBy());
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Ends the scanner with {@code cause}: a blocked consumer wakes and throws it, as does every later call, and
     * {@link #done()} fails with it. The first failure wins.
     *
     * @throws NullPointerException if {@code cause} is null
     */
    public void fail(WALException cause) {
        Objects.requireNonNull(cause, "cause");
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = cause;
        }
        done.completeExceptionally(cause);
        cursor.wakeUp();
    }

    /** Closes the scanner and wakes a blocked consumer. Idempotent; never throws. */
    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        done.complete(null);
        cursor.wakeUp();
        onClose.run();
    }

    @Override
    public String toString() {
        return "PullScanner{" + description + "}";
    }
}
