package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps a read-only log in step with a directory written by another writer (often another process): forgets
 * segments that were deleted, reads the records appended to the last known segment, and adds segments that
 * appeared. Never modifies a file: a bad or incomplete frame simply ends what is visible until the next refresh.
 * Thread-safe (refreshes are serialised).
 */
final class ReadOnlyRefresher implements ChannelLog.Refresher {

    private final Path dir;
    private final Storage storage;
    private final FileConfig config;
    private ChannelLog log;

    ReadOnlyRefresher(Path dir, Storage storage, FileConfig config) {
        this.dir = dir;
        this.storage = storage;
        this.config = config;
    }

    void attach(ChannelLog log) {
        this.log = log;
    }

    @Override
    public synchronized boolean refresh() throws IOException {
        if (log.isClosed() || !Files.isDirectory(dir)) {
            return false;
        }
        List<Path> files = LogRecovery.listSegments(dir);
        boolean changed = forgetDeleted(files);
        List<Segment> known = log.segments();
        Segment tail = known.isEmpty() ? null : known.get(known.size() - 1);
        if (tail != null && !tail.isSealed()) {
            changed |= extend(tail);
        }
        for (Path path : files) {
            long base = SegmentFormat.parseFileName(path.getFileName().toString());
            if (tail != null && (base <= tail.baseId() || !tail.isSealed())) {
                continue;
            }
            Segment added = openSegment(path, base);
            if (added == null) {
                break;
            }
            log.addSegment(added);
            extend(added);
            tail = added;
            changed = true;
        }
        if (changed && tail != null) {
            log.setNextId(tail.nextId());
        }
        return changed;
    }

    private boolean forgetDeleted(List<Path> files) {
        Set<String> names = new HashSet<>();
        files.forEach(p -> names.add(p.getFileName().toString()));
        boolean changed = false;
        for (Segment s : log.segments()) {
            if (!names.contains(s.name())) {
                log.removeSegment(s);
                s.markDeleted();
                changed = true;
            }
        }
        return changed;
    }

    /** @return the segment, or null while its header is not complete (the writer is creating it) */
    private Segment openSegment(Path path, long base) throws IOException {
        StorageFile file = storage.open(path, false);
        ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
        file.readFully(header, 0);
        if (SegmentFormat.checkHeader(header.flip(), base) != null) {
            file.close();
            return null;
        }
        Segment segment = new Segment(path, base, file, SegmentFormat.headerCreatedMillis(header),
                config.indexIntervalBytes());
        LogRecovery.trustFooter(segment, file.size(), null);
        return segment;
    }

    /** Reads what was appended to an unsealed segment. @return whether records or the seal appeared */
    private boolean extend(Segment segment) throws IOException {
        long size = segment.file().size();
        SegmentScan.Outcome out = SegmentScan.scan(segment, segment.end(), segment.count(), size, null);
        boolean changed = out.count() != segment.count();
        segment.publish(out.count(), out.end());
        if (out.stop().kind() == FrameReader.Kind.FOOTER) {
            segment.seal();
            changed = true;
        }
        return changed;
    }
}
