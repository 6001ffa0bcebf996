package io.wal4j.adaptor;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.BufferClosedException;
import io.wal4j.utility.EvictedException;
import io.wal4j.utility.WriteAheadBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A scanner's upstream that switches between the backend and the write-ahead buffer (Milvus reference §3.4).
 *
 * <ul>
 *   <li><b>Catch-up</b>: reads a backend scanner, dropping messages whose tick is at or below the fence. After each
 *       persisted time tick {@code t} it tries to meet the buffer: a buffer reader at the first entry with a tick above
 *       {@code t}. On success it closes the backend scanner and tails.</li>
 *   <li><b>Tailing</b>: reads the buffer (entries at or below the fence, which the buffer may still receive when the
 *       backend was ahead of it, are dropped). When the buffer has evicted what the reader needs next, or the buffer
 *       closed under it, it falls back to catch-up from the last delivered message's last-confirmed id with that
 *       message's tick as the fence: by the last-confirmed invariant nothing is lost, and the fence (plus the reorder
 *       buffer's id dedup) removes what was already delivered.</li>
 * </ul>
 * A source without a buffer (a read-only WAL, or a buffer disabled by configuration) stays in catch-up.
 *
 * <p><b>No thread of its own.</b> The consumer's thread does all the work in {@link #poll}/{@link #take}; while
 * tailing it parks in its buffer reader's {@code await}, which the buffer's writer unparks once per published batch
 * (the acknowledged messages and their time tick come as one), so a thousand waiting scanners cost no thread beyond
 * their consumers' and each consumer wakes once per batch.
 *
 * <p>{@link #poll} and {@link #take} belong to one consuming thread; {@link #close()} and {@link #done()} to any
 * thread. {@link #close()} wakes a blocked consumer, which then throws {@link WALClosedException}.
 */
final class SwitchableSource implements ScannerImpls {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchableSource.class);

    private final String name;
    private final PChannelInfo channel;
    private final ReadOnlyWALImpls backend;
    private final int readAhead;
    private final WriteAheadBuffer<ImmutableMessage> buffer; // null: catch-up only
    private final ScanModes modes;
    private final Runnable requestPersistedTick;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private volatile boolean closed;
    private volatile ScannerImpls catchUp; // the backend scanner while catching up, else null
    // The buffer reader the consumer waits in, if any; close() wakes it.
    private volatile WriteAheadBuffer.Reader<ImmutableMessage> parkedOn;
    private ScanModes.Mode mode; // guarded by this

    // Confined to the consuming thread.
    private WriteAheadBuffer.Reader<ImmutableMessage> tail;
    private long fence = Long.MIN_VALUE;
    private ImmutableMessage lastDelivered;
    private int generation;
    private boolean missedTheBuffer;

    /**
     * Opens the first backend scanner.
     *
     * @param buffer               the write-ahead buffer to tail, or null to stay in catch-up
     * @param requestPersistedTick asks the writer for a persisted time tick soon (never blocks)
     * @throws RuntimeException what the backend's {@code read} threw
     */
    SwitchableSource(String name, PChannelInfo channel, ReadOnlyWALImpls backend, DeliverPolicy policy, int readAhead,
                     WriteAheadBuffer<ImmutableMessage> buffer, ScanModes modes, Runnable requestPersistedTick) {
        this.name = name;
        this.channel = channel;
        this.backend = backend;
        this.readAhead = readAhead;
        this.buffer = buffer;
        this.modes = modes;
        this.requestPersistedTick = requestPersistedTick;
        this.catchUp = openBackend(name, policy);
        setMode(ScanModes.Mode.CATCH_UP);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ImmutableMessage poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        return next(nanos);
    }

    @Override
    public ImmutableMessage take() {
        return next(Long.MAX_VALUE);
    }

    private ImmutableMessage next(long budgetNanos) {
        long start = System.nanoTime();
        while (true) {
            if (closed) {
                throw closedException();
            }
            long remaining = budgetNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                    : Math.max(0, budgetNanos - (System.nanoTime() - start));
            boolean fromBuffer = tail != null;
            ImmutableMessage message;
            if (fromBuffer) {
                message = nextFromBuffer(remaining);
            } else {
                message = nextFromBackend(remaining);
            }
            if (message == null) {
                if (!fromBuffer || (budgetNanos != Long.MAX_VALUE && System.nanoTime() - start >= budgetNanos)) {
                    return null; // a catch-up poll timed out (take never returns null), or the time is up
                }
                continue; // woken early, switched to catch-up, or nothing yet with time left
            }
            if (message.hasTimeTick() && message.timeTick() <= fence) {
                continue; // already delivered before a switch
            }
            lastDelivered = message;
            if (tail == null && buffer != null && message.hasTimeTick() && message.isPersisted()
                    && message.messageType().equals(MessageType.TIME_TICK)) {
                tryToTail(message.timeTick());
            }
            return message;
        }
    }

    /**
     * @return the next backend message, or null if none came within {@code remainingNanos}. A scanner that missed
     *     the buffer (its last persisted tick was already evicted, say by the non-persisted ticks of an idle channel)
     *     and reached the end of the backend asks for one more persisted tick, which it will meet the buffer with.
     */
    private ImmutableMessage nextFromBackend(long remainingNanos) {
        ScannerImpls scanner = catchUp;
        if (missedTheBuffer) {
            ImmutableMessage ready = scanner.poll(Duration.ZERO);
            if (ready != null) {
                return ready;
            }
            missedTheBuffer = false;
            requestPersistedTick.run();
        }
        return remainingNanos == Long.MAX_VALUE ? scanner.take() : scanner.poll(Duration.ofNanos(remainingNanos));
    }

    /** @return the next buffered entry, or null if none came within {@code remainingNanos} or the source switched */
    private ImmutableMessage nextFromBuffer(long remainingNanos) {
        try {
            ImmutableMessage entry = tail.poll();
            if (entry != null || remainingNanos <= 0) {
                return entry;
            }
            WriteAheadBuffer.Reader<ImmutableMessage> reader = tail;
            parkedOn = reader;
            try {
                if (closed) {
                    return null;
                }
                if (!reader.await(remainingNanos)) {
                    return null; // timed out, or woken by close
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WALClosedException("scanner " + name + " of " + channel + " was interrupted while waiting",
                        e);
            } finally {
                parkedOn = null;
            }
            return closed ? null : reader.poll();
        } catch (EvictedException | BufferClosedException e) {
            fallBack(e);
            return null;
        }
    }

    /** Catch-up met the buffer after the persisted time tick {@code tick}? Then tail from it. */
    private void tryToTail(long tick) {
        WriteAheadBuffer.Reader<ImmutableMessage> reader;
        try {
            reader = buffer.readerAtFirst(entry -> entry.timeTick() > tick);
        } catch (EvictedException evicted) {
            missedTheBuffer = true;
            return;
        } catch (BufferClosedException closedBuffer) {
            return;
        }
        tail = reader;
        fence = tick; // the buffer may still receive entries up to this tick if the backend was ahead of it
        ScannerImpls old = catchUp;
        catchUp = null;
        Threads.closeQuietly(old, LOG, "backend scanner of " + name);
        setMode(ScanModes.Mode.TAILING);
        LOG.debug("scanner {} of {} tails the write-ahead buffer after time tick {}", name, channel, tick);
    }

    /** The buffer cannot serve the reader any more: read the backend from the last delivered message on. */
    private void fallBack(RuntimeException why) {
        tail = null;
        ImmutableMessage from = lastDelivered; // never null: tailing starts after a delivered time tick
        fence = from.timeTick();
        generation++;
        LOG.debug("scanner {} of {} falls back to catch-up from {} after tick {}: {}", name, channel,
                from.lastConfirmedId(), fence, why.getMessage());
        catchUp = openBackend(name + "~" + generation, DeliverPolicy.startFrom(from.lastConfirmedId()));
        setMode(ScanModes.Mode.CATCH_UP);
        if (closed) {
            Threads.closeQuietly(catchUp, LOG, "backend scanner of " + name);
        }
    }

    private ScannerImpls openBackend(String backendName, DeliverPolicy policy) {
        ScannerImpls scanner = Objects.requireNonNull(
                backend.read(new ReadOptionImpls(backendName, policy, readAhead)), "backend read() returned null");
        Futures.callSafely(scanner::done, "done() of backend scanner " + backendName).whenComplete((v, failure) -> {
            if (failure != null && catchUp == scanner && !closed) {
                done.completeExceptionally(Futures.unwrap(failure));
            }
        });
        return scanner;
    }

    private synchronized void setMode(ScanModes.Mode next) {
        if (closed) {
            return;
        }
        modes.move(mode, next);
        mode = next;
    }

    /** @return the current mode, or null once closed */
    synchronized ScanModes.Mode mode() {
        return mode;
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            modes.move(mode, null);
            mode = null;
        }
        ScannerImpls scanner = catchUp;
        if (scanner != null) {
            Threads.closeQuietly(scanner, LOG, "backend scanner of " + name);
        }
        WriteAheadBuffer.Reader<ImmutableMessage> parked = parkedOn;
        if (parked != null) {
            parked.wakeUp(); // wakes only this scanner's consumer, which then sees closed
        }
        done.complete(null);
    }

    private WALClosedException closedException() {
        return new WALClosedException("scanner " + name + " of " + channel + " is closed");
    }

    @Override
    public String toString() {
        return "SwitchableSource{" + name + " of " + channel + ", mode=" + mode() + "}";
    }
}
