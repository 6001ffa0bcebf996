package io.wal4j.impls.memory;

import io.wal4j.api.WALStorageException;
import io.wal4j.spi.helper.ChannelCore;
import io.wal4j.spi.helper.PullScanner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named set of channel logs held in memory: the "machine" that every opener built with the same
 * {@code wal.memory.store} name on the same {@link MemoryOpenerBuilder} shares. Data lives as long as the store:
 * it survives closing and reopening WALs and openers, and moving to a new term. Stores are created on first use by
 * {@link MemoryOpenerBuilder#store(String)} or {@link MemoryOpenerBuilder#build}; there is no process-global store.
 *
 * <h2>Acknowledgement and the crash hook</h2>
 * The memory backend claims {@link io.wal4j.api.Durability#MEMORY}: an append is acknowledged (its future completes)
 * once the message is in this store. To let a test cut the power between "stored" and "acknowledged":
 * <ul>
 *   <li>{@link #holdAcknowledgements()}: later appends are stored (they get their ids) but their futures stay
 *       incomplete and scanners do not see them, as if the write had not reached the promised level yet;</li>
 *   <li>{@link #releaseAcknowledgements()}: the held appends become acknowledged, in id order per channel, and
 *       visible to scanners;</li>
 *   <li>{@link #simulateCrash()}: the process dies. Every unacknowledged entry is dropped (the next append reuses its
 *       id, as a recovered log would) and its future fails with {@link WALStorageException}; every live WAL and
 *       scanner of the store is dead: appends and truncates fail with {@code WALStorageException}, scanners end
 *       with it (their {@code done()} completes exceptionally), {@code read} throws it; closing them still works.
 *       Acknowledged data, the channels' fencing terms and the openers stay: open a new WAL to "recover". The
 *       crash also ends any hold.</li>
 * </ul>
 * Scanners only ever see acknowledged entries, so nothing a reader saw is lost by a crash.
 *
 * <p>Thread-safe. A store lock serialises opening, closing, holding, releasing and crashing; appends and reads only
 * take their channel log's lock.
 */
public final class MemoryStore {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryStore.class);

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, MemoryLog> logs = new ConcurrentHashMap<>();
    private final Set<ChannelCore<PullScanner>> live = new LinkedHashSet<>();
    private boolean holding;

    /** @param name the store's name, as in {@code wal.memory.store} */
    MemoryStore(String name) {
        this.name = name;
    }

    /** @return the store's name */
    public String name() {
        return name;
    }

    /**
     * Holds the acknowledgement of every later append on every channel of this store until
     * {@link #releaseAcknowledgements()} or {@link #simulateCrash()}. Idempotent.
     */
    public void holdAcknowledgements() {
        lock.lock();
        try {
            holding = true;
            logs.values().forEach(MemoryLog::hold);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acknowledges every held append (completing the futures on this thread, in id order per channel) and stops
     * holding. Idempotent.
     *
     * @return how many appends were acknowledged
     */
    public int releaseAcknowledgements() {
        List<MemoryLog.Pending> released = new ArrayList<>();
        lock.lock();
        try {
            holding = false;
            logs.values().forEach(log -> released.addAll(log.release()));
        } finally {
            lock.unlock();
        }
        released.forEach(MemoryLog.Pending::acknowledge);
        return released.size();
    }

    /** @return whether acknowledgements are being held */
    public boolean isHoldingAcknowledgements() {
        lock.lock();
        try {
            return holding;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many stored appends wait for their acknowledgement, over every channel */
    public int pendingAcknowledgements() {
        return logs.values().stream().mapToInt(MemoryLog::pendingCount).sum();
    }

    /**
     * Simulates the death of the process that holds this store; see the class comment for what survives.
     *
     * @return how many unacknowledged appends were dropped
     */
    public int simulateCrash() {
        WALStorageException cause = new WALStorageException("simulated crash of memory store \"" + name
                + "\": unacknowledged appends are lost and every WAL open on the store is dead");
        List<MemoryLog.Pending> dropped = new ArrayList<>();
        List<ChannelCore<PullScanner>> dead;
        lock.lock();
        try {
            holding = false;
            // Under the lock the writers die with their unacknowledged entries, atomically with respect to opens.
            logs.values().forEach(log -> dropped.addAll(log.crash(cause)));
            dead = List.copyOf(live);
        } finally {
            lock.unlock();
        }
        LOG.info("simulated crash of memory store {}: dropped {} unacknowledged appends", name, dropped.size());
        // Failing scanners and futures runs their callbacks: never under a lock.
        dead.forEach(core -> core.fail(cause, PullScanner::fail));
        dropped.forEach(p -> p.future().completeExceptionally(cause));
        return dropped.size();
    }

    /** @return the names of the channels ever opened on this store, sorted */
    public Set<String> channelNames() {
        return new TreeSet<>(logs.keySet());
    }

    /**
     * @param channel a channel name
     * @return how many acknowledged messages the channel retains (0 for a channel never opened)
     * @throws NullPointerException if {@code channel} is null
     */
    public long acknowledgedCount(String channel) {
        MemoryLog log = logs.get(Objects.requireNonNull(channel, "channel"));
        return log == null ? 0 : log.acknowledgedCount();
    }

    /**
     * Runs {@code action} on the channel's log (created if new) under the store lock, so an open never interleaves
     * with a crash.
     */
    <T> T withChannel(String channel, Function<MemoryLog, T> action) {
        lock.lock();
        try {
            return action.apply(logs.computeIfAbsent(channel, c -> new MemoryLog(c, holding)));
        } finally {
            lock.unlock();
        }
    }

    /** Tracks a live WAL so a crash can kill it. Called under {@link #withChannel}. */
    void register(ChannelCore<PullScanner> core) {
        lock.lock();
        try {
            live.add(core);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a closed WAL. */
    void deregister(ChannelCore<PullScanner> core) {
        lock.lock();
        try {
            live.remove(core);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MemoryStore{" + name + ", channels=" + logs.size() + "}";
    }
}
