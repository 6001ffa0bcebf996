package io.wal4j.impls.file;

import io.wal4j.api.WALCorruptionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a channel directory for writing: trusts sealed segments from header and footer alone, scans only the
 * unsealed tail, truncates a torn tail, and handles corruption before it by the {@link CorruptionPolicy}. Used once
 * per open, on the opening thread; not thread-safe.
 */
final class LogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    /**
     * The recovered log.
     *
     * @param segments the segments in id order, each open; the last is the writer's tail unless sealed
     * @param nextId   the id the next append takes
     * @param tailCrc  the running checksum of the tail's frames (meaningless when the last segment is sealed)
     * @param report   what was found and done
     */
    record Recovered(List<Segment> segments, long nextId, CRC32C tailCrc, RecoveryReport report) {
    }

    private final String channel;
    private final Path dir;
    private final Storage storage;
    private final FileConfig config;
    private final List<Segment> segments = new ArrayList<>();
    private final List<String> trusted = new ArrayList<>();
    private final List<String> scanned = new ArrayList<>();
    private final List<RecoveryReport.Drop> drops = new ArrayList<>();
    private long recordsScanned;
    private CRC32C tailCrc = new CRC32C();

    private LogRecovery(String channel, Path dir, Storage storage, FileConfig config) {
        this.channel = channel;
        this.dir = dir;
        this.storage = storage;
        this.config = config;
    }

    /**
     * @throws WALCorruptionException if corruption is found before the tail and the policy is FAIL
     * @throws IOException            if the directory cannot be read or repaired
     */
    static Recovered recover(String channel, Path dir, Storage storage, FileConfig config) throws IOException {
        LogRecovery recovery = new LogRecovery(channel, dir, storage, config);
        try {
            return recovery.run();
        } catch (IOException | RuntimeException e) {
            recovery.segments.forEach(Segment::closeQuietly);
            throw e;
        }
    }

    /** @return the segment files of a channel directory, by base id */
    static List<Path> listSegments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SegmentFormat.parseFileName(p.getFileName().toString()) >= 0)
                    .sorted().toList();
        }
    }

    /** @return {@link #listSegments}, or an empty list if the directory cannot be read */
    static List<Path> listSegmentsQuietly(Path dir) {
        try {
            return listSegments(dir);
        } catch (IOException e) {
            return List.of();
        }
    }

    private Recovered run() throws IOException {
        List<Path> files = listSegments(dir);
        for (int i = 0; i < files.size(); i++) {
            boolean last = i == files.size() - 1;
            Long nextBase = last ? null : SegmentFormat.parseFileName(files.get(i + 1).getFileName().toString());
            if (!load(files.get(i), last, nextBase)) {
                quarantineFiles(files.subList(i + 1, files.size()));
                break;
            }
        }
        long nextId = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).nextId();
        RecoveryReport report = new RecoveryReport(channel, trusted, scanned, recordsScanned, drops);
        if (!report.isClean()) {
            LOG.warn("recovered channel {} in {}: dropped {} bytes: {}", channel, dir, report.bytesDropped(),
                    report.drops());
        }
        return new Recovered(List.copyOf(segments), nextId, tailCrc, report);
    }

    /** @return false if the log ends here (corruption quarantined) and every later file must go */
    private boolean load(Path path, boolean last, Long nextBase) throws IOException {
        long base = SegmentFormat.parseFileName(path.getFileName().toString());
        StorageFile file = storage.open(path, true);
        long size = file.size();
        ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
        file.readFully(header, 0);
        String bad = SegmentFormat.checkHeader(header.flip(), base);
        if (bad != null) {
            return badHeader(path, file, size, last, bad);
        }
        Segment segment = new Segment(path, base, file, SegmentFormat.headerCreatedMillis(header),
                config.indexIntervalBytes());
        segments.add(segment);
        if (trustFooter(segment, size, nextBase)) {
            trusted.add(segment.name());
            return true;
        }
        scanned.add(segment.name());
        tailCrc = new CRC32C();
        SegmentScan.Outcome out = SegmentScan.scan(segment, SegmentFormat.HEADER_BYTES, 0, size, tailCrc);
        recordsScanned += out.count();
        segment.publish(out.count(), out.end());
        if (out.stop().kind() == FrameReader.Kind.END && last) {
            return true;
        }
        String torn = last ? tornReason(file, out.stop(), size) : null;
        if (torn != null) {
            long records = out.stop().kind() == FrameReader.Kind.BAD_CRC
                    || out.stop().kind() == FrameReader.Kind.INCOMPLETE ? 1 : 0;
            cut(segment, out.end(), size, records, torn, Optional.empty());
            return true;
        }
        String reason = last ? describe(out.stop()) : "segment is not sealed but " + SegmentFormat.fileName(nextBase)
                + " follows (" + describe(out.stop()) + ")";
        corrupt(segment.path(), out.end(), reason);
        cut(segment, out.end(), size, 0, reason, Optional.of(quarantineBytes(segment, out.end(), size)));
        return false;
    }

    /**
     * Accepts a segment from its footer alone when the footer is valid and consistent with the segment's base id and
     * the next segment's ({@code nextBase}, null if unknown); then publishes its count and seals it.
     *
     * @return whether the segment was trusted
     */
    static boolean trustFooter(Segment segment, long size, Long nextBase) throws IOException {
        long at = size - SegmentFormat.FOOTER_BYTES;
        if (at < SegmentFormat.HEADER_BYTES) {
            return false;
        }
        ByteBuffer bytes = ByteBuffer.allocate(SegmentFormat.FOOTER_BYTES);
        segment.file().readFully(bytes, at);
        SegmentFormat.Footer footer = SegmentFormat.parseFooter(bytes.flip());
        if (footer == null || footer.count() < 1 || footer.lastId() != segment.baseId() + footer.count() - 1
                || (nextBase != null && nextBase != footer.lastId() + 1)) {
            return false;
        }
        segment.publish(footer.count(), at);
        segment.seal();
        return true;
    }

    private boolean badHeader(Path path, StorageFile file, long size, boolean last, String bad) throws IOException {
        if (last && (size <= SegmentFormat.HEADER_BYTES || FrameReader.allZero(file, SegmentFormat.HEADER_BYTES, size))) {
            // A crash while creating the segment: the header was never (fully) forced, and nothing but zeros follows
            // it, so no record was ever written after it — a torn header, whatever part of it reached the disk.
            file.close();
            storage.delete(path);
            storage.forceDirectory(dir);
            drops.add(new RecoveryReport.Drop(path.getFileName().toString(), 0, size, 0,
                    "torn segment header (" + bad + ")", Optional.empty()));
            return true;
        }
        file.close();
        corrupt(path, 0, bad);
        quarantineFiles(List.of(path));
        return false;
    }

    /** @return why a bad frame at the end of the last segment is a torn tail, or null if it is corruption */
    private static String tornReason(StorageFile file, FrameReader.Result stop, long size) throws IOException {
        long at = stop.position();
        return switch (stop.kind()) {
            case SHORT_HEADER -> "torn record header";
            case INCOMPLETE -> "incomplete record";
            case ZERO_HEADER -> FrameReader.allZero(file, at, size) ? "zero-filled tail" : null;
            // A frame header or seal footer written only in part (the rest zero, as a grown file reads after a crash).
            case BAD_HEADER -> FrameReader.allZero(file, at + SegmentFormat.TORN_PREFIX_BYTES, size)
                    ? "torn record header" : null;
            case BAD_CRC -> {
                FrameReader.Kind next = FrameReader.read(file, stop.next(), size, true).kind();
                yield next == FrameReader.Kind.FRAME || next == FrameReader.Kind.FOOTER ? null
                        : "torn record (checksum mismatch at the tail)";
            }
            default -> null;
        };
    }

    private static String describe(FrameReader.Result stop) {
        return switch (stop.kind()) {
            case BAD_CRC -> "record checksum mismatch";
            case BAD_HEADER -> "malformed record header";
            case ZERO_HEADER -> "zero record header followed by data";
            case FOOTER -> "seal footer inconsistent with the segment";
            case END -> "no seal footer";
            default -> "truncated record";
        };
    }

    private void corrupt(Path path, long position, String reason) {
        if (config.corruptionPolicy() == CorruptionPolicy.FAIL) {
            throw new WALCorruptionException(path.toString(), position, reason + " in channel " + channel
                    + " (set " + FileConfig.CORRUPTION_POLICY.name() + "=" + CorruptionPolicy.TRUNCATE_AND_QUARANTINE
                    + " to keep the records before it)");
        }
    }

    private void cut(Segment segment, long at, long size, long records, String reason, Optional<String> copy)
            throws IOException {
        if (size > at) {
            segment.file().truncate(at);
            segment.file().force();
        }
        drops.add(new RecoveryReport.Drop(segment.name(), at, size - at, records, reason, copy));
    }

    private Path quarantineDir() throws IOException {
        Path q = dir.resolve("quarantine");
        if (!Files.isDirectory(q)) {
            Files.createDirectories(q);
            storage.forceDirectory(dir);
        }
        return q;
    }

    /**
     * Ids resume at a quarantined segment's base, so a later incident can quarantine a file of the same name: each
     * incident keeps its own copy ({@code name}, then {@code name.1}, {@code name.2}…), never overwriting an earlier one.
     */
    private static Path unusedName(Path directory, String name) {
        Path target = directory.resolve(name);
        for (int n = 1; Files.exists(target); n++) {
            target = directory.resolve(name + "." + n);
        }
        return target;
    }

    private String quarantineBytes(Segment segment, long from, long size) throws IOException {
        Path target = unusedName(quarantineDir(), segment.name() + "." + from + ".bad");
        try (StorageFile out = storage.open(target, true)) {
            out.truncate(0);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            for (long at = from; at < size; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), size - at));
                int n = segment.file().readFully(chunk, at);
                out.writeFully(chunk.flip(), at - from);
                at += n;
            }
            out.force();
        }
        storage.forceDirectory(target.getParent());
        return target.toString();
    }

    /** @return the record count of a segment's valid footer, or 0 if it has none */
    private long sealedCount(Path path, long size) throws IOException {
        if (size < SegmentFormat.HEADER_BYTES + SegmentFormat.FOOTER_BYTES) {
            return 0;
        }
        ByteBuffer bytes = ByteBuffer.allocate(SegmentFormat.FOOTER_BYTES);
        try (StorageFile file = storage.open(path, false)) {
            file.readFully(bytes, size - SegmentFormat.FOOTER_BYTES);
        }
        SegmentFormat.Footer footer = SegmentFormat.parseFooter(bytes.flip());
        return footer == null ? 0 : footer.count();
    }

    private void quarantineFiles(List<Path> files) throws IOException {
        for (Path p : files) {
            Path target = unusedName(quarantineDir(), p.getFileName().toString() + ".quarantined");
            long size = Files.size(p);
            long records = sealedCount(p, size);
            storage.move(p, target);
            drops.add(new RecoveryReport.Drop(p.getFileName().toString(), 0, size, records,
                    "after corruption: whole segment quarantined", Optional.of(target.toString())));
        }
        if (!files.isEmpty()) {
            storage.forceDirectory(dir);
            storage.forceDirectory(quarantineDir());
        }
    }
}
