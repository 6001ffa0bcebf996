package io.wal4j.adaptor;

import io.wal4j.adaptor.timetick.AckManager;
import io.wal4j.adaptor.timetick.HybridLogicalClock;
import io.wal4j.adaptor.timetick.SyncPoint;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.utility.BufferClosedException;
import io.wal4j.utility.WriteAheadBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Publishes the time ticks of one channel (Milvus reference §3.6, "TT sync operator"), eagerly: while the channel
 * has a live scanner, a sync is triggered as soon as an append is resolved with acknowledged data waiting, so a
 * tailing reader gets a message about one backend round trip after it was acknowledged, not after a period. With no
 * scanner, nobody would see that tick sooner, so a sync waits for {@link #MAX_UNSYNCED} acknowledged messages or the
 * period: a time tick per append would double the backend writes of a writer nobody tails. The periodic sync
 * ({@code sync-interval}, on the {@link SharedScheduler}) is the fallback that keeps idle readers' time moving and
 * evicts the buffer.
 *
 * <p><b>One sync at a time.</b> Triggers coalesce: at most one sync is in flight per channel; a trigger that arrives
 * meanwhile is remembered and served by one more sync once the current one is done. A sync asks the
 * {@link AckManager} for a {@link SyncPoint}; when there is one it builds a {@code TIME_TICK} message (broadcast,
 * stamped with the point's tick and last-confirmed id), appends it through the WAL's whole chain — written to the
 * backend when the point carries data or a persisted tick was requested, otherwise marked not persisted and given the
 * last-confirmed id as its id — and then appends the acknowledged messages and the tick to the
 * {@link WriteAheadBuffer}. Being the only writer of the buffer is what makes the buffer's single-writer rule hold.
 *
 * <p>A sync that fails (the WAL closing or fenced) closes the buffer, so tailing readers fall back to the backend
 * instead of waiting for messages the buffer will never get.
 *
 * <p>Thread-safe. Lifetime: {@link #start()} after the WAL is built; {@link #close()} once no append is in flight.
 */
final class TimeTickSyncOperator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TimeTickSyncOperator.class);

    /** Appends a time-tick message through the WAL's chain; completes with the message as delivered to readers. */
    interface TickAppender {
        /**
         * @param tick           the stamped time-tick message
         * @param notPersistedId the id to report without writing, or null to write it to the backend
         */
        CompletableFuture<ImmutableMessage> append(MutableMessage tick, MessageId notPersistedId);
    }

    /** Acknowledged messages that trigger a sync even when no reader waits. */
    static final int MAX_UNSYNCED = 256;

    private final PChannelInfo channel;
    private final AckManager acks;
    private final BooleanSupplier readersWaiting;
    private final WriteAheadBuffer<ImmutableMessage> buffer; // null: no buffer
    private final TickAppender appender;
    private final SharedScheduler.Lease scheduler;
    private final Duration interval;

    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean persistRequested = new AtomicBoolean();
    private final AtomicInteger concurrentSyncs = new AtomicInteger();
    private final AtomicInteger maxConcurrentSyncs = new AtomicInteger();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong persisted = new AtomicLong();
    private final AtomicLong notPersisted = new AtomicLong();
    private final AtomicLong lastPublishedTick;
    private final AtomicLong lastPersistedTick;
    private volatile boolean closed;
    private ScheduledFuture<?> periodic; // guarded by this

    /**
     * @param firstTick the tick written at open: the first published one
     * @param buffer    the write-ahead buffer to feed, or null
     * @param scheduler the lease on the shared scheduler; closed by {@link #close()}
     * @param interval  the period of the fallback sync
     * @param readersWaiting whether some reader of the channel would see a sync at once (a live scanner): only then
     *                  is a sync triggered after each resolved append
     */
    TimeTickSyncOperator(PChannelInfo channel, AckManager acks, long firstTick, WriteAheadBuffer<ImmutableMessage> buffer,
                         TickAppender appender, SharedScheduler.Lease scheduler, Duration interval,
                         BooleanSupplier readersWaiting) {
        this.channel = channel;
        this.acks = acks;
        this.readersWaiting = readersWaiting;
        this.buffer = buffer;
        this.appender = appender;
        this.scheduler = scheduler;
        this.interval = interval;
        this.lastPublishedTick = new AtomicLong(firstTick);
        this.lastPersistedTick = new AtomicLong(firstTick);
    }

    /** Starts the periodic fallback sync. */
    synchronized void start() {
        if (!closed && periodic == null) {
            periodic = scheduler.every(interval, () -> trigger(false));
        }
    }

    /**
     * Called after every resolved append: syncs at once when acknowledged data waits for a time tick and a reader
     * waits for it, or when {@link #MAX_UNSYNCED} acknowledged messages wait (so that the messages held for the next
     * sync, and the write-ahead buffer's lag, stay bounded under load with no reader).
     */
    void onResolved() {
        int unsynced = acks.unsyncedAcks();
        if (unsynced >= MAX_UNSYNCED || unsynced > 0 && readersWaiting.getAsBoolean()) {
            trigger(false);
        }
    }

    /**
     * Requests a sync. Never blocks: the sync runs on the calling thread up to the backend call, or later if one is
     * already in flight.
     *
     * @param persist whether the next published tick must be written to the backend even without data (a catch-up
     *                scanner needs a recent persisted tick to meet the buffer)
     */
    void trigger(boolean persist) {
        if (persist) {
            persistRequested.set(true);
        }
        requested.set(true);
        drain();
    }

    private void drain() {
        while (!closed && requested.get() && inFlight.compareAndSet(false, true)) {
            requested.set(false);
            CompletableFuture<Void> sync;
            try {
                sync = syncOnce();
            } catch (RuntimeException | Error e) {
                LOG.warn("time-tick sync of {} failed", channel, e);
                sync = CompletableFuture.completedFuture(null);
            }
            if (!sync.isDone()) {
                sync.whenComplete((v, failure) -> {
                    inFlight.set(false);
                    drain();
                });
                return;
            }
            inFlight.set(false);
        }
    }

    /** One sync; the caller holds the in-flight flag. @return completed when the sync is fully done */
    private CompletableFuture<Void> syncOnce() {
        attempts.incrementAndGet();
        Optional<SyncPoint> found = acks.sync();
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(null); // an earlier append is in flight; its resolution retries
        }
        SyncPoint point = found.get();
        boolean persist = point.hasData() | persistRequested.getAndSet(false);
        MutableMessage tick = MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build()
                .withTimeTick(point.timeTick()).withLastConfirmed(point.lastConfirmedId());
        if (!persist) {
            tick.withNotPersisted();
        }
        int now = concurrentSyncs.incrementAndGet();
        maxConcurrentSyncs.accumulateAndGet(now, Math::max);
        CompletableFuture<ImmutableMessage> appended;
        try {
            appended = appender.append(tick, persist ? null : point.lastConfirmedId());
        } catch (RuntimeException | Error e) {
            appended = CompletableFuture.failedFuture(e);
        }
        return appended.handle((delivered, failure) -> {
            try {
                if (failure != null) {
                    onSyncFailed(failure);
                } else {
                    publish(point, delivered, persist);
                }
            } finally {
                concurrentSyncs.decrementAndGet();
            }
            return null;
        });
    }

    private void publish(SyncPoint point, ImmutableMessage delivered, boolean persist) {
        (persist ? persisted : notPersisted).incrementAndGet();
        lastPublishedTick.accumulateAndGet(point.timeTick(), Math::max);
        if (persist) {
            lastPersistedTick.accumulateAndGet(point.timeTick(), Math::max);
        }
        if (buffer == null) {
            return;
        }
        List<ImmutableMessage> entries = new ArrayList<>(point.acknowledged().size() + 1);
        entries.addAll(point.acknowledged());
        entries.add(delivered);
        try {
            buffer.appendAll(entries);
        } catch (BufferClosedException e) {
            LOG.debug("write-ahead buffer of {} closed; time tick {} not buffered", channel, point.timeTick());
        }
    }

    private void onSyncFailed(Throwable failure) {
        if (buffer != null && !buffer.isClosed()) {
            // The acknowledged messages of this point will never reach the buffer: tailing readers must not wait for
            // them. Closing the buffer sends them back to the backend, which has every acknowledged message.
            buffer.close();
        }
        if (closed || Futures.unwrap(failure) instanceof WALClosedException) {
            LOG.debug("time-tick sync of {} stopped by close", channel, failure);
        } else {
            LOG.warn("time-tick sync of {} failed; tailing readers fall back to the backend", channel, failure);
        }
    }

    /** @return the highest tick published so far (the first tick until a sync publishes) */
    long lastPublishedTick() {
        return lastPublishedTick.get();
    }

    /** @return the highest tick written to the backend so far (the first tick until a sync persists one) */
    long lastPersistedTick() {
        return lastPersistedTick.get();
    }

    /** @return the wall-clock lag of the last published tick, in milliseconds, assuming hybrid-clock ticks */
    long lagMillis() {
        return Math.max(0, System.currentTimeMillis() - HybridLogicalClock.physicalMillis(lastPublishedTick.get()));
    }

    long persistedSyncs() {
        return persisted.get();
    }

    long notPersistedSyncs() {
        return notPersisted.get();
    }

    /** @return how many syncs were attempted (with or without a point to publish) */
    long attempts() {
        return attempts.get();
    }

    /** @return the most syncs ever in flight at once; 1 by design */
    int maxConcurrentSyncs() {
        return maxConcurrentSyncs.get();
    }

    /** Stops the periodic sync and later triggers and releases the scheduler lease. Idempotent; never throws. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (periodic != null) {
                periodic.cancel(false);
            }
        }
        scheduler.close();
    }

    @Override
    public String toString() {
        return "TimeTickSyncOperator{" + channel + ", lastPublished=" + lastPublishedTick.get() + ", persisted="
                + persisted.get() + ", notPersisted=" + notPersisted.get() + "}";
    }
}
