package io.wal4j.impls.file;

import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALCorruptionException;
import io.wal4j.api.WALException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ScannerImpls;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Reads a channel's records in id order with positional reads, starting at the first id {@code >= minId}. At the
 * end of the visible log it waits on the log's condition, woken by the writer's commits (or, read-only, by the
 * directory refresh every poll interval) and by close. Every delivered record's checksum is verified.
 *
 * <p>{@link #poll} and {@link #take} are for one consuming thread, which owns the cursor; {@link #close()} and
 * {@link #done()} are for any thread. Lifetime: inside its WAL, which closes it.
 */
final class FileScanner implements ScannerImpls {

    private final String name;
    private final ChannelLog log;
    private final long minId;
    private final Consumer<FileScanner> onClose;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ReadAhead readAhead = new ReadAhead();
    private volatile boolean closed;
    private volatile WALException failure;
    private Segment segment;
    private long position;
    private long nextId;

    FileScanner(String name, ChannelLog log, long minId, Consumer<FileScanner> onClose) {
        this.name = name;
        this.log = log;
        this.minId = minId;
        this.onClose = onClose;
    }

    @Override
    public String name() {
        return name;
    }

    /** @throws NullPointerException if {@code timeout} is null */
    @Override
    public ImmutableMessage poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return next(ChannelLog.toNanos(timeout));
    }

    @Override
    public ImmutableMessage take() {
        return next(Long.MAX_VALUE);
    }

    private ImmutableMessage next(long nanos) {
        boolean forever = nanos >= Long.MAX_VALUE / 4;
        long deadline = forever ? 0 : System.nanoTime() + nanos;
        while (true) {
            checkUsable();
            ImmutableMessage message = tryNext();
            if (message != null) {
                return message;
            }
            // Caught up. Take the version before looking once more, so a commit in between is never slept through.
            long seen = log.version();
            message = tryNext();
            if (message != null) {
                return message;
            }
            readAhead.release();
            long remaining = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            try {
                log.awaitChange(seen, remaining, () -> closed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WALClosedException("scanner " + name + " of channel " + log.channel()
                        + " interrupted while waiting");
            } catch (IOException e) {
                throw fail(new WALStorageException("scanner " + name + " cannot refresh channel " + log.channel(), e));
            }
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw failure;
        }
        if (closed || log.isClosed()) {
            throw new WALClosedException("scanner " + name + " of channel " + log.channel() + " is closed");
        }
    }

    private ImmutableMessage tryNext() {
        try {
            return readNext();
        } catch (WALCorruptionException e) {
            throw fail(e);
        } catch (IOException e) {
            checkUsable();
            throw fail(new WALStorageException("scanner " + name + " cannot read " + segment.path(), e));
        }
    }

    private ImmutableMessage readNext() throws IOException {
        while (true) {
            if ((segment == null || segment.isDeleted()) && !locate()) {
                return null;
            }
            if (nextId >= log.nextId()) {
                return null;
            }
            if (nextId >= segment.nextId()) {
                Segment following = log.after(segment);
                if (following == null) {
                    return null;
                }
                segment = following;
                position = SegmentFormat.HEADER_BYTES;
                nextId = following.baseId();
                continue;
            }
            boolean wanted = nextId >= minId;
            FrameReader.Result r;
            try {
                r = readAhead.read(segment.file(), position, segment.end(), wanted);
            } catch (IOException e) {
                if (segment.isDeleted()) {
                    continue;
                }
                throw e;
            }
            if (r.kind() != FrameReader.Kind.FRAME) {
                if (segment.isDeleted()) {
                    continue;
                }
                throw new WALCorruptionException(segment.path().toString(), position, "expected record " + nextId
                        + " of channel " + log.channel() + ", found " + r.kind());
            }
            long id = nextId;
            segment.indexFrame(id, position);
            position = r.next();
            nextId++;
            if (wanted) {
                return decode(id, r);
            }
        }
    }

    private ImmutableMessage decode(long id, FrameReader.Result r) {
        try {
            SegmentFormat.Body body = SegmentFormat.decodeBody(r.body());
            return ImmutableMessage.of(FileMessageId.of(id), body.payload(), body.properties());
        } catch (IllegalArgumentException e) {
            throw new WALCorruptionException(segment.path().toString(), r.position(), "record " + id
                    + " has a valid checksum but a malformed body: " + e.getMessage());
        }
    }

    /** Positions the cursor at the frame closest before the target id; false if the log has no segment. */
    private boolean locate() {
        long target = segment == null ? minId : Math.max(nextId, minId);
        Segment s = log.segmentFor(target);
        if (s == null) {
            return false;
        }
        segment = s;
        if (target <= s.baseId()) {
            position = SegmentFormat.HEADER_BYTES;
            nextId = s.baseId();
            return true;
        }
        Map.Entry<Long, Long> entry = s.floor(Math.min(target, s.nextId()));
        nextId = entry.getKey();
        position = entry.getValue();
        return true;
    }

    private WALException fail(WALException e) {
        if (failure == null) {
            failure = e;
        }
        done.completeExceptionally(failure);
        return failure;
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        done.complete(null);
        log.signal();
        onClose.accept(this);
    }
}
