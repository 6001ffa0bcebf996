package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One segment file as the log sees it: its base id, the open file, how many records are visible and where they end,
 * whether it is sealed, and a sparse index from id to frame position.
 *
 * <p>Thread-safety: one writer (the channel's writer thread, or the refresher of a read-only WAL) moves
 * {@code count}/{@code end} forward through {@link #publish}; readers read them through volatile fields. Records
 * below {@code count} never change. Lifetime: owned by its {@link ChannelLog}, closed when the log closes or when
 * truncation deletes it ({@link #isDeleted()} then tells readers to look again).
 */
final class Segment {

    private final Path path;
    private final long baseId;
    private final StorageFile file;
    private final long createdMillis;
    private final long indexInterval;
    private final ConcurrentSkipListMap<Long, Long> index = new ConcurrentSkipListMap<>();
    private volatile long count;
    private volatile long end;
    private volatile boolean sealed;
    private volatile boolean deleted;
    private volatile long lastIndexed;

    Segment(Path path, long baseId, StorageFile file, long createdMillis, long indexInterval) {
        this.path = path;
        this.baseId = baseId;
        this.file = file;
        this.createdMillis = createdMillis;
        this.indexInterval = indexInterval;
        this.end = SegmentFormat.HEADER_BYTES;
        this.lastIndexed = SegmentFormat.HEADER_BYTES;
        index.put(baseId, (long) SegmentFormat.HEADER_BYTES);
    }

    Path path() {
        return path;
    }

    String name() {
        return path.getFileName().toString();
    }

    long baseId() {
        return baseId;
    }

    StorageFile file() {
        return file;
    }

    long createdMillis() {
        return createdMillis;
    }

    /** @return the number of visible records */
    long count() {
        return count;
    }

    /** @return the position just after the last visible record */
    long end() {
        return end;
    }

    /** @return the id after the last visible record */
    long nextId() {
        return baseId + count;
    }

    boolean isSealed() {
        return sealed;
    }

    boolean isDeleted() {
        return deleted;
    }

    /** Makes records visible up to {@code count}, ending at {@code end}. */
    void publish(long count, long end) {
        this.end = end;
        this.count = count;
    }

    void seal() {
        sealed = true;
    }

    /** Notes that a frame of id {@code id} starts at {@code position}, if it is far enough from the last entry. */
    void indexFrame(long id, long position) {
        if (position - lastIndexed >= indexInterval) {
            index.put(id, position);
            lastIndexed = position;
        }
    }

    /** @return the indexed frame closest at or before {@code id}: (id, position) */
    Map.Entry<Long, Long> floor(long id) {
        Map.Entry<Long, Long> e = index.floorEntry(id);
        return e != null ? e : index.firstEntry();
    }

    /** Marks the segment deleted and closes its file. */
    void markDeleted() {
        deleted = true;
        closeQuietly();
    }

    void closeQuietly() {
        try {
            file.close();
        } catch (IOException e) {
            // Closing a file we only read or already forced loses nothing.
        }
    }

    @Override
    public String toString() {
        return name() + "{base=" + baseId + ", count=" + count + ", end=" + end + ", sealed=" + sealed + "}";
    }
}
