package io.wal4j.impls.memory;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Reads one channel's {@link MemoryLog} from a position, in id order. It has no thread of its own: the consuming
 * thread waits on the log's {@code Condition} until an entry is acknowledged, the scanner is closed or it fails.
 * Entries truncated away before they were read are skipped: the scanner continues at the first retained entry.
 *
 * <p>{@link #poll} and {@link #take} are for one consuming thread (the position is confined to it); {@link #close()},
 * {@link #done()} and {@link #fail} may be called from any thread and wake a blocked consumer at once.
 */
final class MemoryScanner implements ScannerImpls {

    private final String name;
    private final PChannelInfo channel;
    private final MemoryLog log;
    private final Lifetime lifetime;
    private final Consumer<MemoryScanner> onClose;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile WALException failure;
    private long position;

    /**
     * @param position the first id to deliver (or the first retained one after it)
     * @param onClose  run once when closed: deregisters the scanner from its WAL
     */
    MemoryScanner(String name, PChannelInfo channel, MemoryLog log, long position, Consumer<MemoryScanner> onClose) {
        this.name = name;
        this.channel = channel;
        this.log = log;
        this.position = position;
        this.onClose = onClose;
        this.lifetime = new Lifetime("memory scanner " + name + " on " + channel);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * A negative timeout polls without waiting. An interrupted wait throws {@link WALClosedException} and keeps the
     * interrupt, as {@link #take()} does.
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    @Override
    public ImmutableMessage poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        return next(nanos);
    }

    @Override
    public ImmutableMessage take() {
        return next(Long.MAX_VALUE);
    }

    private ImmutableMessage next(long timeoutNanos) {
        if (!lifetime.tryEnter()) {
            throw closedException();
        }
        try {
            MemoryLog.Entry entry = log.await(position, timeoutNanos, this::stopped);
            if (entry == null) {
                checkRunning();
                return null;
            }
            position = entry.id() + 1;
            return entry.toMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WALClosedException("memory scanner " + name + " on " + channel
                    + " was interrupted while waiting", e);
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
        return new WALClosedException("memory scanner " + name + " on " + channel + " is closed",
                lifetime.closedBy());
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Ends the scanner with {@code cause}: a blocked consumer wakes and throws it, {@link #done()} fails with it. */
    void fail(WALException cause) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = cause;
        }
        done.completeExceptionally(cause);
        log.wakeReaders();
    }

    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        done.complete(null);
        log.wakeReaders();
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "MemoryScanner{" + name + " on " + channel + "}";
    }
}
