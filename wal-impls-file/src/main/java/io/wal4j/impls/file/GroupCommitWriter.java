package io.wal4j.impls.file;

import io.wal4j.api.Durability;
import io.wal4j.api.WALException;
import io.wal4j.api.WALStorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a channel, on its own thread {@code wal4j-file-writer-<channel>}: takes a batch from the
 * {@link AppendQueue}, assigns ids, writes the batch with one write per segment touched, forces once if any append
 * in it asked for {@link Durability#DISK}, publishes the new records to readers and hands the futures to the
 * completer thread, so no user callback runs on this thread or under a lock. After a forced batch of n appends it
 * lets the next batch <em>settle</em> (see {@link AppendQueue#takeBatch(long, long, int, long)}): it waits, for at
 * most a fraction of the recent force time ({@link SettleBudget}), for the n appenders just acknowledged to append
 * again, so a caller that keeps a window of appends in flight gets the whole window into each force.
 *
 * <p>Rolls the active segment (footer, force, new segment, directory force) when the next frame would take it past
 * {@code segment-bytes} or its first record is older than {@code segment-age}. The first I/O failure poisons it: the
 * batch and everything queued fail with the same {@link WALStorageException}, and later appends too
 * ({@link #failure()}). All tail fields are confined to the writer thread after {@link #start()}.
 */
final class GroupCommitWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** Runs larger than this are written from a one-off buffer rather than growing the reused one. */
    private static final int MAX_SCRATCH_BYTES = 4 << 20;

    private final ChannelLog log;
    private final Storage storage;
    private final FileConfig config;
    private final LongSupplier clock;
    private final AppendQueue queue;
    private final ExecutorService completer;
    private final Thread thread;
    private volatile WALStorageException failure;
    private Segment active;
    private long writePos;
    private long activeCount;
    private CRC32C crc;
    private long firstRecordMillis = -1;
    private long nextId;
    /** The size of the last batch if it was forced, else 0: how many appenders its acknowledgement may bring back. */
    private int returning;
    private final SettleBudget settleBudget;
    /** The reused buffer a run of frames is gathered in before its write; null until the first write. */
    private ByteBuffer scratch;

    GroupCommitWriter(ChannelLog log, Storage storage, FileConfig config, LongSupplier clock, AppendQueue queue,
                      ExecutorService completer) {
        this.log = log;
        this.storage = storage;
        this.config = config;
        this.clock = clock;
        this.queue = queue;
        this.completer = completer;
        this.settleBudget = new SettleBudget(ChannelLog.toNanos(config.batchSettleMax()));
        this.thread = new Thread(this, "wal4j-file-writer-" + log.channel());
        this.thread.setDaemon(true);
    }

    /** Takes over the recovered tail, creating a fresh segment when there is none or it is sealed. */
    void prepare(LogRecovery.Recovered recovered) throws IOException {
        nextId = recovered.nextId();
        List<Segment> segments = recovered.segments();
        Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last == null || last.isSealed()) {
            createSegment(nextId);
        } else {
            active = last;
            writePos = last.end();
            activeCount = last.count();
            crc = recovered.tailCrc();
            firstRecordMillis = activeCount > 0 ? last.createdMillis() : -1;
        }
    }

    void start() {
        thread.start();
    }

    /** @return the failure that poisoned the writer, or null */
    WALStorageException failure() {
        return failure;
    }

    /** Waits for the writer thread to end. Keeps the interrupt status. */
    void join() {
        boolean interrupted = false;
        while (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                long settle = settleBudget.nanos();
                List<PendingAppend> batch = queue.takeBatch(config.batchBytes(), ChannelLog.toNanos(
                        config.batchMaxDelay()), returning, settle);
                if (batch.isEmpty()) {
                    break;
                }
                if (returning > 0 && settle > 0) {
                    settleBudget.settled(queue.lastSettleMet());
                }
                try {
                    write(batch);
                } catch (IOException | RuntimeException e) {
                    poison(e, batch);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.close(new WALStorageException("writer of channel " + log.channel() + " was interrupted"), true);
        }
        WALException reason = failure != null ? failure : queueReason();
        fail(queue.drain(), reason);
    }

    private WALException queueReason() {
        WALException reason = queue.closedReason();
        return reason != null ? reason : new WALStorageException("writer of channel " + log.channel() + " stopped");
    }

    private void write(List<PendingAppend> batch) throws IOException {
        long[] ids = new long[batch.size()];
        boolean force = false;
        int runStart = 0;
        long runBytes = 0;
        for (int i = 0; i < batch.size(); i++) {
            PendingAppend p = batch.get(i);
            if (shouldRoll(i - runStart, runBytes, p.frame().length)) {
                flush(batch, runStart, i, runBytes, ids);
                roll();
                runStart = i;
                runBytes = 0;
            }
            if (activeCount + i - runStart == 0) {
                firstRecordMillis = clock.getAsLong();
            }
            runBytes += p.frame().length;
            force |= p.durability() == Durability.DISK;
        }
        flush(batch, runStart, batch.size(), runBytes, ids);
        if (force) {
            long start = System.nanoTime();
            active.file().force();
            settleBudget.forced(System.nanoTime() - start);
        }
        returning = force ? batch.size() : 0;
        active.publish(activeCount, writePos);
        log.publish(nextId);
        completer.execute(() -> {
            for (int i = 0; i < ids.length; i++) {
                batch.get(i).future().complete(FileMessageId.of(ids[i]));
            }
        });
    }

    private boolean shouldRoll(int runCount, long runBytes, int frameBytes) {
        if (activeCount + runCount == 0) {
            return false;
        }
        long size = writePos + runBytes + frameBytes + SegmentFormat.FOOTER_BYTES;
        return size > config.segmentBytes()
                || clock.getAsLong() - firstRecordMillis >= config.segmentAge().toMillis();
    }

    private void flush(List<PendingAppend> batch, int from, int to, long bytes, long[] ids) throws IOException {
        if (from == to) {
            return;
        }
        ByteBuffer run = runBuffer(Math.toIntExact(bytes));
        for (int i = from; i < to; i++) {
            active.indexFrame(nextId, writePos + run.position());
            ids[i] = nextId++;
            run.put(batch.get(i).frame());
        }
        run.flip();
        crc.update(run.duplicate());
        active.file().writeFully(run, writePos);
        writePos += bytes;
        activeCount += to - from;
    }

    /** @return an empty buffer of exactly {@code bytes}: a view of the reused direct buffer when it fits */
    private ByteBuffer runBuffer(int bytes) {
        if (bytes > MAX_SCRATCH_BYTES) {
            return ByteBuffer.allocate(bytes);
        }
        if (scratch == null || scratch.capacity() < bytes) {
            int grown = scratch == null ? 64 << 10 : Math.min(2 * scratch.capacity(), MAX_SCRATCH_BYTES);
            scratch = ByteBuffer.allocateDirect(Math.max(bytes, grown));
        }
        return scratch.clear().limit(bytes).slice();
    }

    private void roll() throws IOException {
        active.file().writeFully(SegmentFormat.footer(activeCount, nextId - 1, (int) crc.getValue()), writePos);
        active.file().force();
        active.publish(activeCount, writePos);
        active.seal();
        LOG.debug("sealed {} of channel {} with {} records", active.name(), log.channel(), activeCount);
        createSegment(nextId);
        applyRetention();
    }

    private void applyRetention() throws IOException {
        Retention retention = config.retention();
        if (retention.isEnabled()) {
            int drop = retention.segmentsToDrop(log.segments(), clock.getAsLong());
            if (drop > 0) {
                LOG.debug("retention deletes {} segments of channel {}", drop, log.channel());
                log.dropOldest(drop, storage);
            }
        }
    }

    private void createSegment(long baseId) throws IOException {
        Path path = log.dir().resolve(SegmentFormat.fileName(baseId));
        long now = clock.getAsLong();
        StorageFile file = storage.open(path, true);
        try {
            file.truncate(0);
            file.writeFully(SegmentFormat.header(baseId, now), 0);
            file.force();
            storage.forceDirectory(log.dir());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        active = new Segment(path, baseId, file, now, config.indexIntervalBytes());
        log.addSegment(active);
        writePos = SegmentFormat.HEADER_BYTES;
        activeCount = 0;
        crc = new CRC32C();
        firstRecordMillis = -1;
    }

    private void poison(Exception cause, List<PendingAppend> batch) {
        failure = new WALStorageException("channel " + log.channel() + ": writing " + active.name()
                + " failed; the WAL is poisoned and fails every later append (reopen it to recover)", cause, true);
        LOG.error("channel {} poisoned", log.channel(), cause);
        queue.close(failure, true);
        fail(batch, failure);
    }

    private void fail(List<PendingAppend> appends, WALException reason) {
        if (appends.isEmpty()) {
            return;
        }
        completer.execute(() -> appends.forEach(a -> a.future().completeExceptionally(reason)));
    }
}
