package io.wal4j.spi.helper;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a backend's read-write and read-only WAL of one channel share, ready-made: the channel, the lifetime guard,
 * the registry of live scanners, an optional terminal failure, and the close sequence. It is itself a complete
 * {@link ReadOnlyWALImpls}, so a backend's read-only WAL is just a {@code ChannelCore}; its read-write WAL is a
 * {@link ChannelWAL} around one (composition, so a read-only WAL is never a {@link io.wal4j.spi.WALImpls}). The
 * backend supplies only its storage logic, a {@link Reader}.
 *
 * <p><b>Lifetime.</b> {@link #close()} refuses new calls, waits for the calls in flight, runs the {@code release}
 * hook (a writer drains what it has pending), then closes every live scanner and runs {@code onClosed} (the opener
 * forgets the WAL), even if {@code release} threw. Calls after close fail with {@link WALClosedException} naming
 * the channel and carrying where it was closed as its cause. {@link #fail} ends the channel without closing it
 * (a simulated crash, a lost session): reads throw the failure, live and later scanners end with it, and closing
 * still works.
 *
 * <p>Thread-safe. Hooks and scanner callbacks run outside any lock.
 *
 * @param <S> the backend's scanner type, so {@link #fail} can reach the backend's own way of ending one
 */
public final class ChannelCore<S extends ScannerImpls> implements ReadOnlyWALImpls {

    /** A backend's storage-specific reading; called inside the channel's guard. */
    public interface Reader<S extends ScannerImpls> {

        /**
         * Creates a positioned scanner.
         *
         * @param option  the validated option
         * @param onClose to run once when the scanner closes: deregisters it from the channel
         * @throws io.wal4j.api.InvalidMessageIdException if the policy's id belongs to another backend
         * @throws WALException                           if the storage fails
         */
        S open(ReadOptionImpls option, Runnable onClose);

        /**
         * @return the message with the largest id, if any; see {@link ReadOnlyWALImpls#readLast()}
         * @throws WALException if the storage fails
         */
        Optional<ImmutableMessage> readLast();
    }

    private record Failure<S>(WALException cause, BiConsumer<S, WALException> end) {
    }

    private final String walName;
    private final PChannelInfo channel;
    private final String description;
    private final Reader<S> reader;
    private final Runnable release;
    private final Consumer<ChannelCore<S>> onClosed;
    private final Lifetime lifetime;
    private final Map<Object, S> scanners = new ConcurrentHashMap<>();
    private volatile Failure<S> failure;

    /**
     * @param walName  the backend's name, returned by {@link #walName()}
     * @param channel  the channel as opened
     * @param reader   the backend's reading
     * @param release  run once by the first {@link #close()}, before the scanners close; {@code () -> { }} for none
     * @param onClosed run once by the first {@link #close()}, last: the opener forgets this channel
     * @throws NullPointerException if an argument is null
     */
    public ChannelCore(String walName, PChannelInfo channel, Reader<S> reader, Runnable release,
                       Consumer<ChannelCore<S>> onClosed) {
        this.walName = Objects.requireNonNull(walName, "walName");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.release = Objects.requireNonNull(release, "release");
        this.onClosed = Objects.requireNonNull(onClosed, "onClosed");
        this.description = walName + " WAL " + channel;
        this.lifetime = new Lifetime(description);
    }

    @Override
    public String walName() {
        return walName;
    }

    @Override
    public PChannelInfo channel() {
        return channel;
    }

    /** @return the exception for a call that arrives after {@link #close()} */
    public WALClosedException closedException() {
        return new WALClosedException(description + " is closed", lifetime.closedBy());
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return lifetime.isClosed();
    }

    /**
     * Registers the new scanner, so closing or failing the channel ends it.
     *
     * @throws NullPointerException if {@code option} is null
     * @throws WALClosedException   if the channel is closed
     * @throws WALException         the channel's {@linkplain #fail failure}, or what the reader threw
     */
    @Override
    public ScannerImpls read(ReadOptionImpls option) {
        Objects.requireNonNull(option, "option");
        return guard(() -> {
            throwFailure();
            Object key = new Object();
            S scanner = reader.open(option, () -> scanners.remove(key));
            scanners.put(key, scanner);
            // A failure between the check above and the registration did not see this scanner.
            Failure<S> failed = failure;
            if (failed != null) {
                failed.end().accept(scanner, failed.cause());
            }
            return scanner;
        });
    }

    /**
     * @throws WALClosedException if the channel is closed
     * @throws WALException       the channel's {@linkplain #fail failure}, or what the reader threw
     */
    @Override
    public Optional<ImmutableMessage> readLast() {
        return guard(() -> {
            throwFailure();
            return reader.readLast();
        });
    }

    /**
     * Runs a synchronous call inside the guard.
     *
     * @throws WALClosedException if the channel is closed
     */
    public <T> T guard(Supplier<T> call) {
        if (!lifetime.tryEnter()) {
            throw closedException();
        }
        try {
            return call.get();
        } finally {
            lifetime.exit();
        }
    }

    /**
     * Runs an asynchronous call inside the guard; never throws: a closed channel gives a future failed with
     * {@link WALClosedException}, and a {@link RuntimeException} thrown by {@code call} (an invalid id, say) a future
     * failed with it.
     */
    public <T> CompletableFuture<T> guardAsync(Supplier<CompletableFuture<T>> call) {
        if (!lifetime.tryEnter()) {
            return CompletableFuture.failedFuture(closedException());
        }
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lifetime.exit();
        }
    }

    /**
     * Ends the channel without closing it: later {@link #read} and {@link #readLast} throw {@code cause}, and every
     * live scanner, and any created concurrently, is passed to {@code end} (which should end it with the cause).
     * The first failure wins; later calls change nothing.
     *
     * @throws NullPointerException if an argument is null
     */
    public void fail(WALException cause, BiConsumer<S, WALException> end) {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(end, "end");
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = new Failure<>(cause, end);
        }
        for (S scanner : List.copyOf(scanners.values())) {
            end.accept(scanner, cause);
        }
    }

    /** @return the live scanners, a snapshot */
    public List<S> scanners() {
        return List.copyOf(scanners.values());
    }

    private void throwFailure() {
        Failure<S> failed = failure;
        if (failed != null) {
            throw failed.cause();
        }
    }

    /**
     * Closes the channel; see the class comment. Idempotent. The scanners close and {@code onClosed} runs even if
     * {@code release} throws, whose exception then propagates (a backend's release should not throw).
     */
    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        lifetime.awaitQuiescent();
        try {
            release.run();
        } finally {
            for (S scanner : List.copyOf(scanners.values())) {
                scanner.close();
            }
            onClosed.accept(this);
        }
    }

    @Override
    public String toString() {
        return "ChannelCore{" + description + ", scanners=" + scanners.size() + "}";
    }
}
