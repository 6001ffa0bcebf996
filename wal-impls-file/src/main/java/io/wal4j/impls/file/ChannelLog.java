package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The visible state of one channel's log: its segments in id order and the id after the last visible record, with a
 * {@link Condition} that wakes readers when either changes.
 *
 * <p>In a read-write WAL the writer thread publishes after each group commit; readers are woken, never poll. In a
 * read-only WAL there is no writer in this process: a reader that finds nothing new calls the {@link Refresher}
 * every poll interval, which re-reads the directory (data written by another process).
 *
 * <p>Thread-safe: the segment list is copy-on-write; {@code nextId} is volatile and written after the segment fields
 * it covers, so a reader that sees it sees them.
 */
final class ChannelLog {

    /** Re-reads the directory for a read-only log. */
    interface Refresher {
        /** @return whether anything new became visible */
        boolean refresh() throws java.io.IOException;
    }

    private final String channel;
    private final Path dir;
    private final List<Segment> segments = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Refresher refresher;
    private final long pollNanos;
    private volatile long nextId;
    private volatile boolean closed;
    private long version;

    ChannelLog(String channel, Path dir, List<Segment> initial, long nextId, Refresher refresher, long pollNanos) {
        this.channel = channel;
        this.dir = dir;
        this.segments.addAll(initial);
        this.nextId = nextId;
        this.refresher = refresher;
        this.pollNanos = pollNanos;
    }

    String channel() {
        return channel;
    }

    Path dir() {
        return dir;
    }

    /** @return the id after the last visible record */
    long nextId() {
        return nextId;
    }

    /** @return a snapshot of the segments in id order */
    List<Segment> segments() {
        return List.copyOf(segments);
    }

    /** @return the first retained id, or {@link #nextId()} when there is no record */
    long firstId() {
        List<Segment> s = segments;
        return s.isEmpty() ? nextId : s.get(0).baseId();
    }

    void addSegment(Segment segment) {
        segments.add(segment);
    }

    void removeSegment(Segment segment) {
        segments.remove(segment);
    }

    /**
     * Deletes the {@code count} oldest segments, never the last (active) one, and never one that is not sealed:
     * marks each deleted (readers inside it look again), deletes its file, then forces the directory once. Truncation
     * and retention both come here; the lock keeps them from deleting the same segment twice.
     *
     * @return how many segments were deleted
     * @throws IOException if a delete or the directory force fails (segments deleted before it stay deleted)
     */
    int dropOldest(int count, Storage storage) throws IOException {
        int dropped = 0;
        synchronized (segments) {
            try {
                while (dropped < count && segments.size() > 1 && segments.get(0).isSealed()) {
                    Segment oldest = segments.remove(0);
                    oldest.markDeleted();
                    storage.delete(oldest.path());
                    dropped++;
                }
            } finally {
                if (dropped > 0) {
                    storage.forceDirectory(dir);
                    signal();
                }
            }
        }
        return dropped;
    }

    /** @return the segment holding {@code id}: the last one whose base id is at most {@code id}, else the first */
    Segment segmentFor(long id) {
        Segment found = null;
        for (Segment s : segments) {
            if (s.baseId() <= id || found == null) {
                found = s;
            } else {
                break;
            }
        }
        return found;
    }

    /** @return the segment after {@code segment}, or null */
    Segment after(Segment segment) {
        List<Segment> s = segments;
        for (int i = 0; i < s.size() - 1; i++) {
            if (s.get(i) == segment) {
                return s.get(i + 1);
            }
        }
        return null;
    }

    /** Makes every record below {@code next} visible and wakes readers. */
    void publish(long next) {
        nextId = next;
        signal();
    }

    /** Wakes every waiting reader (a scanner closing, the log closing). */
    void signal() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return a counter that moves whenever readers are woken */
    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the version moves past {@code seen}, {@code stop} holds or {@code nanos} pass; a read-only log
     * refreshes from the directory every poll interval meanwhile.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws java.io.IOException  if a refresh fails
     */
    void awaitChange(long seen, long nanos, BooleanSupplier stop) throws InterruptedException, java.io.IOException {
        boolean forever = nanos >= Long.MAX_VALUE / 4;
        long deadline = forever ? 0 : System.nanoTime() + nanos;
        while (true) {
            long remaining = forever ? Long.MAX_VALUE / 4 : deadline - System.nanoTime();
            lock.lock();
            try {
                if (version != seen || stop.getAsBoolean() || closed || remaining <= 0) {
                    return;
                }
                changed.awaitNanos(refresher == null ? remaining : Math.min(remaining, pollNanos));
                if (version != seen || refresher == null) {
                    continue;
                }
            } finally {
                lock.unlock();
            }
            if (refresher.refresh()) {
                signal();
                return;
            }
        }
    }

    /** Wakes readers for good; their waits return at once. */
    void close() {
        closed = true;
        signal();
        for (Segment s : segments) {
            s.closeQuietly();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** @return whether reads go through a refresher (read-only, cross-process) */
    boolean isPolling() {
        return refresher != null;
    }

    /** Re-reads the directory now when this log polls; a no-op for a writer's log. */
    void refreshNow() throws java.io.IOException {
        if (refresher != null && refresher.refresh()) {
            signal();
        }
    }

    void setNextId(long next) {
        nextId = next;
    }

    static long toNanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

}
