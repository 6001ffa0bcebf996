package io.wal4j.impls.file;

import io.wal4j.api.message.ImmutableMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * Reads a channel directory of the file backend without modifying it and checks every byte a recovery would trust:
 * each segment's header, every record's checksum and encoding, each seal footer (record count, last id, data
 * checksum, nothing after it) and the chain of segment names. Used by tools ({@code wal verify}, {@code wal stats});
 * the log itself never calls it. Unlike opening for writing it reads sealed segments in full, so it costs one read of
 * the whole channel.
 *
 * <p>It takes no lock: a writer may be appending while it runs, in which case the last segment's end is whatever
 * was on disk when it was read (a record being written shows up as a torn tail, not as corruption). Stateless and
 * thread-safe; each call opens and closes its own files.
 */
public final class FileLogInspector {

    private FileLogInspector() {
    }

    /**
     * Told about the inspection as it goes, on the calling thread. Both methods do nothing by default.
     */
    public interface Listener {

        /**
         * Called before segment {@code index} (from 0) of {@code total} is read.
         *
         * @param file  the segment's file name
         * @param bytes its size
         */
        default void segment(int index, int total, String file, long bytes) {
        }

        /**
         * Called for each valid record, in id order.
         *
         * @param file       the segment's file name
         * @param position   where the record's frame starts in it
         * @param frameBytes the frame's size on disk (12-byte frame header included)
         * @param message    the decoded record, its id a {@code file} id
         */
        default void record(String file, long position, int frameBytes, ImmutableMessage message) {
        }
    }

    /**
     * Something wrong at a place in a segment.
     *
     * @param file     the segment file's path
     * @param position the byte offset in it where the problem starts
     * @param reason   what is wrong
     */
    public record Finding(String file, long position, String reason) {
        /** @throws NullPointerException if a text is null */
        public Finding {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return file + " at position " + position + ": " + reason;
        }
    }

    /**
     * What was found in one segment.
     *
     * @param file          the segment's file name
     * @param baseId        the id of its first record (from its name)
     * @param bytes         its size
     * @param records       the valid records read before any problem
     * @param sealed        whether it ends with a valid seal footer
     * @param createdMillis the creation time in its header, or -1 if the header is invalid
     * @param corruption    corruption found in it: the log cannot be opened past it without losing data
     * @param tornTail      a torn end of the last segment, which opening for writing cuts (normal after a crash)
     */
    public record Segment(String file, long baseId, long bytes, long records, boolean sealed, long createdMillis,
                          Optional<Finding> corruption, Optional<Finding> tornTail) {
        /** @throws NullPointerException if an argument is null */
        public Segment {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(corruption, "corruption");
            Objects.requireNonNull(tornTail, "tornTail");
        }
    }

    /**
     * What was found in a channel directory.
     *
     * @param dir      the channel directory
     * @param segments every segment, in id order
     * @param term     the persisted fencing term, empty if none was ever written
     */
    public record Inspection(Path dir, List<Segment> segments, OptionalLong term) {
        /** @throws NullPointerException if an argument is null */
        public Inspection {
            Objects.requireNonNull(dir, "dir");
            segments = List.copyOf(segments);
            Objects.requireNonNull(term, "term");
        }

        /** @return every corruption, in file order */
        public List<Finding> corruptions() {
            return segments.stream().flatMap(s -> s.corruption().stream()).toList();
        }

        /** @return the torn tail of the last segment, if any */
        public Optional<Finding> tornTail() {
            return segments.stream().flatMap(s -> s.tornTail().stream()).findFirst();
        }

        /** @return the valid records in all segments */
        public long records() {
            return segments.stream().mapToLong(Segment::records).sum();
        }

        /** @return the size of all segments */
        public long bytes() {
            return segments.stream().mapToLong(Segment::bytes).sum();
        }
    }

    /**
     * Inspects a channel directory ({@code <wal.file.dir>/<channel>}).
     *
     * @param channelDir the channel directory
     * @param listener   told about each segment and record
     * @return what was found; corruption is reported in it, not thrown
     * @throws NullPointerException if an argument is null
     * @throws java.nio.file.NoSuchFileException if the directory does not exist
     * @throws IOException if a file cannot be read
     * @throws io.wal4j.api.WALCorruptionException if the term file is malformed
     */
    public static Inspection inspect(Path channelDir, Listener listener) throws IOException {
        Objects.requireNonNull(channelDir, "channelDir");
        Objects.requireNonNull(listener, "listener");
        if (!Files.isDirectory(channelDir)) {
            throw new java.nio.file.NoSuchFileException(channelDir.toString(), null, "not a channel directory");
        }
        List<Path> files = LogRecovery.listSegments(channelDir);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path path = files.get(i);
            long size = Files.size(path);
            listener.segment(i, files.size(), path.getFileName().toString(), size);
            Long nextBase = i + 1 < files.size()
                    ? SegmentFormat.parseFileName(files.get(i + 1).getFileName().toString()) : null;
            try (StorageFile file = Storage.real().open(path, false)) {
                segments.add(new SegmentCheck(path, file, file.size(), nextBase, listener).run());
            }
        }
        long term = TermFile.read(channelDir, Storage.real());
        return new Inspection(channelDir, segments, term < 0 ? OptionalLong.empty() : OptionalLong.of(term));
    }

    /** Checks one segment; single use. */
    private static final class SegmentCheck {
        private final Path path;
        private final StorageFile file;
        private final long size;
        private final Long nextBase;
        private final Listener listener;
        private final long base;
        private final String name;

        SegmentCheck(Path path, StorageFile file, long size, Long nextBase, Listener listener) {
            this.path = path;
            this.file = file;
            this.size = size;
            this.nextBase = nextBase;
            this.listener = listener;
            this.name = path.getFileName().toString();
            this.base = SegmentFormat.parseFileName(name);
        }

        private boolean last() {
            return nextBase == null;
        }

        Segment run() throws IOException {
            ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
            file.readFully(header, 0);
            String bad = SegmentFormat.checkHeader(header.flip(), base);
            if (bad != null) {
                Finding f = finding(0, bad);
                boolean torn = last() && (size < SegmentFormat.HEADER_BYTES || FrameReader.allZero(file, 0, size));
                return segment(0, false, -1, torn ? null : f, torn ? finding(0, "torn segment header (" + bad + ")")
                        : null);
            }
            long created = SegmentFormat.headerCreatedMillis(header);
            CRC32C crc = new CRC32C();
            long at = SegmentFormat.HEADER_BYTES;
            long n = 0;
            while (true) {
                FrameReader.Result r = FrameReader.read(file, at, size, true);
                if (r.kind() != FrameReader.Kind.FRAME) {
                    return stop(r, n, created, crc);
                }
                SegmentFormat.Body body;
                try {
                    body = SegmentFormat.decodeBody(r.body().duplicate());
                } catch (IllegalArgumentException e) {
                    return segment(n, false, created, finding(at, "record checksum matches but its body cannot be "
                            + "decoded: " + e.getMessage()), null);
                }
                ByteBuffer frameHeader = ByteBuffer.allocate(SegmentFormat.FRAME_HEADER_BYTES);
                frameHeader.putInt(r.bodyLength()).putInt(~r.bodyLength()).putInt(r.bodyCrc()).flip();
                crc.update(frameHeader);
                crc.update(r.body().duplicate());
                listener.record(name, at, (int) (r.next() - at),
                        ImmutableMessage.of(FileMessageId.of(base + n), body.payload(), body.properties()));
                n++;
                at = r.next();
            }
        }

        private Segment stop(FrameReader.Result r, long n, long created, CRC32C crc) throws IOException {
            long at = r.position();
            switch (r.kind()) {
                case FOOTER:
                    return footer(at, n, created, crc);
                case END:
                    return last() ? segment(n, false, created, null, null)
                            : segment(n, false, created, finding(at, "segment is not sealed but "
                            + SegmentFormat.fileName(nextBase) + " follows"), null);
                default:
                    String torn = last() ? tornReason(r) : null;
                    if (torn != null) {
                        return segment(n, false, created, null, finding(at, torn));
                    }
                    return segment(n, false, created, finding(at, describe(r.kind())), null);
            }
        }

        private Segment footer(long at, long n, long created, CRC32C crc) throws IOException {
            ByteBuffer bytes = ByteBuffer.allocate(SegmentFormat.FOOTER_BYTES);
            file.readFully(bytes, at);
            SegmentFormat.Footer footer = SegmentFormat.parseFooter(bytes.flip());
            String problem = null;
            if (footer.count() != n) {
                problem = "seal footer counts " + footer.count() + " records, the segment holds " + n;
            } else if (footer.lastId() != base + n - 1) {
                problem = "seal footer's last id " + footer.lastId() + " is not " + (base + n - 1);
            } else if (footer.dataCrc() != (int) crc.getValue()) {
                problem = "seal footer's data checksum does not match the records";
            } else if (nextBase != null && nextBase != footer.lastId() + 1) {
                problem = "next segment " + SegmentFormat.fileName(nextBase) + " does not start at id "
                        + (footer.lastId() + 1);
            }
            if (problem != null) {
                return segment(n, true, created, finding(at, problem), null);
            }
            long end = at + SegmentFormat.FOOTER_BYTES;
            if (end != size) {
                return segment(n, true, created, finding(end, (size - end) + " bytes after the seal footer"), null);
            }
            return segment(n, true, created, null, null);
        }

        /** The torn-tail rules of FORMAT.md: what a crash during an append leaves at the end of the last segment. */
        private String tornReason(FrameReader.Result stop) throws IOException {
            long at = stop.position();
            return switch (stop.kind()) {
                case SHORT_HEADER -> "torn record header";
                case INCOMPLETE -> "incomplete record";
                case ZERO_HEADER -> FrameReader.allZero(file, at, size) ? "zero-filled tail" : null;
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

        private static String describe(FrameReader.Kind kind) {
            return switch (kind) {
                case BAD_CRC -> "record checksum mismatch";
                case BAD_HEADER -> "malformed record header";
                case ZERO_HEADER -> "zero record header followed by data";
                case SHORT_HEADER, INCOMPLETE -> "truncated record in a segment that is not the last";
                default -> "unexpected " + kind;
            };
        }

        private Finding finding(long position, String reason) {
            return new Finding(path.toString(), position, reason);
        }

        private Segment segment(long records, boolean sealed, long created, Finding corruption, Finding torn) {
            return new Segment(name, base, size, records, sealed, created, Optional.ofNullable(corruption),
                    Optional.ofNullable(torn));
        }
    }
}
