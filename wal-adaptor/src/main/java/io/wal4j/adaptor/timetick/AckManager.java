package io.wal4j.adaptor.timetick;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tracks the time ticks handed to in-flight appends of one channel and derives two watermarks from their outcomes
 * (Milvus reference §3.6):
 * <ul>
 *   <li>{@code lastConfirmedTimeTick}: every tick {@code <=} it is resolved (acknowledged or failed);</li>
 *   <li>{@code lastConfirmedId}: the largest id of a message acknowledged before every tick allocated since was
 *       handed out. Invariant: for each message {@code m}, every message with a tick {@code >= m.timeTick} has an id
 *       {@code >= m.lastConfirmedId}, so reading from it with {@code timeTickGte(m.timeTick)} loses nothing.</li>
 * </ul>
 * Why the second holds: an acknowledged message {@code a} is <i>confirmed</i> once every tick up to {@code a.end}
 * (the newest tick allocated when {@code a} was acknowledged) is resolved. Any message with a larger tick was
 * allocated after {@code a} completed, and backend ids increase in completion order, so its id is larger.
 *
 * <p><b>Syncs.</b> {@link #sync()} allocates a <i>sync tick</i> {@code S} and publishes it once every tick below
 * {@code S} is resolved; appends allocated after {@code S} do not hold it back, so a channel under constant load
 * still publishes time ticks. Until {@code S} is published, later calls wait for the same {@code S}.
 *
 * <p><b>Transactions.</b> A {@link ConfirmedIdLimit} bounds the last-confirmed id (an open transaction's begin).
 *
 * <p>Thread-safe: one lock guards all state; calls are short and never block on I/O. Public for the adaptor's own
 * packages; not part of the user API.
 */
public final class AckManager {

    private final TimestampAllocator allocator;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Acker> unresolved = new PriorityQueue<>(Comparator.comparingLong(Acker::timeTick));
    private final PriorityQueue<Acker> unconfirmed =
            new PriorityQueue<>(Comparator.comparingLong(Acker::endTimeTick));
    private final List<Acker> sinceLastSync = new ArrayList<>();
    private long lastAllocated;
    private long lastConfirmedTimeTick;
    private long lastAcknowledgedTimeTick = Long.MIN_VALUE;
    private MessageId lastConfirmedId;
    private MessageId confirmedCandidate;
    private Acker pendingSync;
    private volatile ConfirmedIdLimit limit = ConfirmedIdLimit.NONE;

    /**
     * @param allocator        the source of ticks
     * @param firstTimeTick    the tick of the message written at open (the fence); already resolved
     * @param firstMessageId   that message's id: the first resume point
     * @throws NullPointerException if the allocator or id is null
     */
    public AckManager(TimestampAllocator allocator, long firstTimeTick, MessageId firstMessageId) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.lastConfirmedId = Objects.requireNonNull(firstMessageId, "firstMessageId");
        this.confirmedCandidate = firstMessageId;
        this.lastAllocated = firstTimeTick;
        this.lastConfirmedTimeTick = firstTimeTick;
        allocator.observe(firstTimeTick);
    }

    /**
     * @return a new acker whose tick is greater than every tick allocated before
     * @throws IllegalStateException if the allocator returned a tick that is not greater than the previous one
     */
    public Acker allocate() {
        lock.lock();
        try {
            long tick = allocator.allocate();
            if (tick <= lastAllocated) {
                throw new IllegalStateException("time tick allocator went backwards: " + tick + " after " + lastAllocated);
            }
            lastAllocated = tick;
            Acker acker = new Acker(tick, lastConfirmedId);
            unresolved.add(acker);
            return acker;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that the acker's message was stored as {@code stored}.
     *
     * @throws IllegalStateException if the acker was already resolved
     */
    public void ack(Acker acker, ImmutableMessage stored) {
        resolve(acker, Objects.requireNonNull(stored, "stored"));
    }

    /**
     * Records that the acker's append failed: its tick is resolved and carries no message.
     *
     * @throws IllegalStateException if the acker was already resolved
     */
    public void fail(Acker acker) {
        resolve(acker, null);
    }

    /**
     * Publishes a sync point if one is ready. The first call after a publication allocates (and at once resolves) a
     * sync tick {@code S}; this and later calls return the point as soon as every tick below {@code S} is resolved,
     * with the messages acknowledged since the previous point whose tick is below {@code S}. Otherwise some append
     * allocated before {@code S} is still in flight and nothing is returned: its resolution allows the next try.
     *
     * @return the sync point, or empty while an earlier append is unresolved
     */
    public Optional<SyncPoint> sync() {
        lock.lock();
        try {
            if (pendingSync == null) {
                pendingSync = allocate();
                resolve(pendingSync, null);
            }
            long tick = pendingSync.timeTick();
            if (lastConfirmedTimeTick < tick) {
                return Optional.empty();
            }
            // The resume point as of S's allocation: every message with a tick >= S was allocated after it.
            MessageId resumePoint = pendingSync.lastConfirmedId();
            pendingSync = null;
            sinceLastSync.sort(Comparator.comparingLong(Acker::timeTick));
            List<ImmutableMessage> acknowledged = new ArrayList<>();
            int taken = 0;
            while (taken < sinceLastSync.size() && sinceLastSync.get(taken).timeTick() < tick) {
                acknowledged.add(sinceLastSync.get(taken).acknowledged());
                taken++;
            }
            sinceLastSync.subList(0, taken).clear();
            return Optional.of(new SyncPoint(tick, resumePoint, acknowledged));
        } finally {
            lock.unlock();
        }
    }

    /** @return whether messages were acknowledged that no published {@link #sync()} has carried yet */
    public boolean hasUnsyncedAcks() {
        return unsyncedAcks() > 0;
    }

    /** @return how many messages were acknowledged that no published {@link #sync()} has carried yet */
    public int unsyncedAcks() {
        lock.lock();
        try {
            return sinceLastSync.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return the tick up to which every allocation is resolved */
    public long lastConfirmedTimeTick() {
        lock.lock();
        try {
            return lastConfirmedTimeTick;
        } finally {
            lock.unlock();
        }
    }

    /** @return the largest tick of an acknowledged message, {@code Long.MIN_VALUE} before the first */
    public long lastAcknowledgedTimeTick() {
        lock.lock();
        try {
            return lastAcknowledgedTimeTick;
        } finally {
            lock.unlock();
        }
    }

    /** @return the current resume point */
    public MessageId lastConfirmedId() {
        lock.lock();
        try {
            return lastConfirmedId;
        } finally {
            lock.unlock();
        }
    }

    private void resolve(Acker acker, ImmutableMessage stored) {
        lock.lock();
        try {
            acker.resolve(lastAllocated, stored);
            if (stored != null) {
                lastAcknowledgedTimeTick = Math.max(lastAcknowledgedTimeTick, acker.timeTick());
                sinceLastSync.add(acker);
                unconfirmed.add(acker);
            }
            while (!unresolved.isEmpty() && unresolved.peek().isResolved()) {
                lastConfirmedTimeTick = unresolved.poll().timeTick();
            }
            while (!unconfirmed.isEmpty() && unconfirmed.peek().endTimeTick() <= lastConfirmedTimeTick) {
                MessageId id = unconfirmed.poll().acknowledged().id();
                if (id.compareTo(confirmedCandidate) > 0) {
                    confirmedCandidate = id;
                }
            }
            advanceConfirmedId();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Installs the bound on the last-confirmed id (see {@link ConfirmedIdLimit}).
     *
     * @throws NullPointerException if {@code limit} is null
     */
    public void setConfirmedIdLimit(ConfirmedIdLimit limit) {
        this.limit = Objects.requireNonNull(limit, "limit");
        recheckConfirmedIdLimit();
    }

    /** Lets the last-confirmed id catch up after its bound was raised or lifted. */
    public void recheckConfirmedIdLimit() {
        lock.lock();
        try {
            advanceConfirmedId();
        } finally {
            lock.unlock();
        }
    }

    private void advanceConfirmedId() {
        MessageId target = confirmedCandidate;
        Optional<MessageId> bound = limit.limit();
        if (bound.isPresent() && bound.get().compareTo(target) < 0) {
            target = bound.get();
        }
        if (target.compareTo(lastConfirmedId) > 0) {
            lastConfirmedId = target;
        }
    }
}
