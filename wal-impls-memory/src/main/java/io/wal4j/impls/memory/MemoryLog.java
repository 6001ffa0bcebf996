package io.wal4j.impls.memory;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The log of one channel in a {@link MemoryStore}: the stored entries, the acknowledgement boundary, the fencing
 * term and the live writers. Thread-safe: every field is guarded by one {@link ReentrantLock}; readers wait on its
 * {@link Condition}, which is signalled on every change a reader may care about (an acknowledgement, a truncation,
 * a crash, a scanner closing).
 *
 * <p>Invariants, under the lock:
 * <pre>
 *   entries.get(i).id == firstId + i            ids are dense offsets
 *   firstId &lt;= acknowledgedEnd &lt;= nextId == firstId + entries.size()
 *   ids in [firstId, acknowledgedEnd)   acknowledged: visible to readers, survive a simulated crash
 *   ids in [acknowledgedEnd, nextId)    stored while acknowledgements are held: invisible, dropped by a crash
 * </pre>
 * Truncation only removes acknowledged entries, so the unacknowledged ones are always a suffix. Entries are deep
 * copies: the payload array is owned by the log and never handed out, the property map is immutable.
 */
final class MemoryLog {

    private final String channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayList<Entry> entries = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Set<Writer> writers = new HashSet<>();
    private long firstId;
    private long nextId;
    private long acknowledgedEnd;
    private boolean holding;
    private long highestTerm = -1;

    /**
     * @param channel the channel's name
     * @param holding whether acknowledgements start held (the store is holding them)
     */
    MemoryLog(String channel, boolean holding) {
        this.channel = channel;
        this.holding = holding;
    }

    /** @return the channel's name */
    String channel() {
        return channel;
    }

    /**
     * Registers the writer of {@code term}, fencing every live writer: a writer opening at a term at least the
     * highest seen takes the channel over.
     *
     * @throws ChannelFencedException if a writer of a higher term has opened the channel
     */
    Writer registerWriter(long term) {
        lock.lock();
        try {
            if (term < highestTerm) {
                throw new ChannelFencedException(channel, term, "a writer at term " + highestTerm
                        + " has already opened the channel");
            }
            for (Writer w : writers) {
                w.fail(new ChannelFencedException(channel, w.term, "a writer at term " + term
                        + " opened the channel"));
            }
            highestTerm = term;
            Writer writer = new Writer(term);
            writers.add(writer);
            return writer;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a closed writer. */
    void deregisterWriter(Writer writer) {
        lock.lock();
        try {
            writers.remove(writer);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores a message. The returned future is complete unless acknowledgements are held, in which case it completes
     * on {@link #release()} or fails on {@link #crash}.
     *
     * @param payload    the payload, owned by the log from now on
     * @param properties an immutable map
     * @return the id, or the writer's failure (fenced, crashed)
     */
    CompletableFuture<MessageId> append(Writer writer, byte[] payload, Map<String, String> properties) {
        lock.lock();
        try {
            if (writer.failure != null) {
                return CompletableFuture.failedFuture(writer.failure);
            }
            long id = nextId++;
            entries.add(new Entry(id, payload, properties));
            if (holding) {
                Pending p = new Pending(id, new CompletableFuture<>());
                pending.add(p);
                return p.future;
            }
            acknowledgedEnd = nextId;
            changed.signalAll();
            return CompletableFuture.completedFuture(MemoryMessageId.of(id));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops every acknowledged entry with an id up to and including {@code upTo}. Ids are never reused.
     *
     * @return the writer's failure, or null when done
     */
    WALException truncate(Writer writer, long upTo) {
        lock.lock();
        try {
            if (writer.failure != null) {
                return writer.failure;
            }
            long end = Math.min(upTo, acknowledgedEnd - 1);
            if (end >= firstId) {
                int count = (int) (end + 1 - firstId);
                entries.subList(0, count).clear();
                firstId += count;
                changed.signalAll();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** @return the id the next append will get: where a {@code latest} scanner starts */
    long nextId() {
        lock.lock();
        try {
            return nextId;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the first acknowledged entry with an id {@code >= position} (or the first retained one, if
     * {@code position} was truncated away).
     *
     * @param timeoutNanos how long to wait; {@link Long#MAX_VALUE} waits without limit
     * @param stop         checked under the lock before each wait; true ends the wait
     * @return the entry, or null on timeout or when {@code stop} became true
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    Entry await(long position, long timeoutNanos, BooleanSupplier stop) throws InterruptedException {
        long remaining = timeoutNanos;
        lock.lock();
        try {
            while (true) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                long at = Math.max(position, firstId);
                if (at < acknowledgedEnd) {
                    return entries.get((int) (at - firstId));
                }
                if (remaining <= 0) {
                    return null;
                }
                if (timeoutNanos == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    remaining = changed.awaitNanos(remaining);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting reader so it re-checks its state (a scanner closed or failed). */
    void wakeReaders() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Holds later acknowledgements until {@link #release()}. */
    void hold() {
        lock.lock();
        try {
            holding = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acknowledges every held entry and stops holding.
     *
     * @return the held appends, in id order, for the caller to {@linkplain Pending#acknowledge() acknowledge}
     *     outside the lock
     */
    List<Pending> release() {
        lock.lock();
        try {
            holding = false;
            acknowledgedEnd = nextId;
            List<Pending> released = List.copyOf(pending);
            pending.clear();
            changed.signalAll();
            return released;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Simulates the death of the process: drops every unacknowledged entry (the next append reuses their ids, as a
     * recovered log would), fails every live writer with {@code cause} and stops holding.
     *
     * @return the dropped appends, for the caller to fail outside the lock
     */
    List<Pending> crash(WALException cause) {
        lock.lock();
        try {
            entries.subList((int) (acknowledgedEnd - firstId), entries.size()).clear();
            nextId = acknowledgedEnd;
            holding = false;
            for (Writer w : writers) {
                w.fail(cause);
            }
            List<Pending> dropped = List.copyOf(pending);
            pending.clear();
            changed.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many stored entries wait for their acknowledgement */
    int pendingCount() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return the acknowledged entry with the largest id, if any is retained (truncation may have dropped all) */
    Optional<Entry> lastAcknowledged() {
        lock.lock();
        try {
            return acknowledgedEnd > firstId ? Optional.of(entries.get((int) (acknowledgedEnd - 1 - firstId)))
                    : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** @return how many acknowledged entries are retained (readable) */
    long acknowledgedCount() {
        lock.lock();
        try {
            return acknowledgedEnd - firstId;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One stored message. Immutable from the outside: the payload array never leaves the log, and
     * {@link #toMessage()} copies it.
     */
    record Entry(long id, byte[] payload, Map<String, String> properties) {

        /** @return a fresh message carrying a copy of the payload */
        ImmutableMessage toMessage() {
            return ImmutableMessage.of(MemoryMessageId.of(id), payload, properties);
        }
    }

    /** An append stored while acknowledgements were held. */
    record Pending(long id, CompletableFuture<MessageId> future) {

        /** Completes the append's future with its id. Call without holding any lock: callbacks may run. */
        void acknowledge() {
            future.complete(MemoryMessageId.of(id));
        }
    }

    /** The registration of one live writer; its failure (fenced or crashed) is guarded by the log's lock. */
    static final class Writer {
        private final long term;
        private WALException failure;

        private Writer(long term) {
            this.term = term;
        }

        /** @return the writer's term */
        long term() {
            return term;
        }

        private void fail(WALException cause) {
            if (failure == null) {
                failure = cause;
            }
        }
    }
}
