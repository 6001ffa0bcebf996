package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads one frame at a position and says what it found, without judging it: the caller decides whether a bad frame
 * is a torn tail or corruption. Stateless.
 */
final class FrameReader {

    /** What lies at a position. */
    enum Kind {
        /** A complete frame whose checksum matches. */
        FRAME,
        /** The limit: no byte left. */
        END,
        /** A valid seal footer. */
        FOOTER,
        /** Fewer bytes than a frame header before the limit. */
        SHORT_HEADER,
        /** A frame header of zeros (preallocated or zero-filled space). */
        ZERO_HEADER,
        /** A frame header whose length and complement disagree, or an out-of-range length. */
        BAD_HEADER,
        /** A valid header announcing a body that goes past the limit. */
        INCOMPLETE,
        /** A complete frame whose checksum does not match. */
        BAD_CRC
    }

    /**
     * @param kind       what was found
     * @param position   where
     * @param bodyLength the announced body length (valid for FRAME, INCOMPLETE, BAD_CRC), else 0
     * @param body       the verified body, positioned at 0, for FRAME when asked for; else null
     * @param bodyCrc    the checksum of the body as read (FRAME, BAD_CRC)
     */
    record Result(Kind kind, long position, int bodyLength, ByteBuffer body, int bodyCrc) {
        /** @return the position just after this frame */
        long next() {
            return position + SegmentFormat.FRAME_HEADER_BYTES + bodyLength;
        }
    }

    private FrameReader() {
    }

    /**
     * @param limit    the position reading must not pass (the file size or the committed end)
     * @param withBody whether to read and verify the body; false only checks the header (for skipping)
     */
    static Result read(StorageFile file, long position, long limit, boolean withBody) throws IOException {
        long left = limit - position;
        if (left <= 0) {
            return new Result(Kind.END, position, 0, null, 0);
        }
        if (left < SegmentFormat.FRAME_HEADER_BYTES) {
            return new Result(Kind.SHORT_HEADER, position, 0, null, 0);
        }
        ByteBuffer header = ByteBuffer.allocate(SegmentFormat.FRAME_HEADER_BYTES);
        if (file.readFully(header, position) < SegmentFormat.FRAME_HEADER_BYTES) {
            return new Result(Kind.SHORT_HEADER, position, 0, null, 0);
        }
        header.flip();
        int length = SegmentFormat.bodyLength(header);
        if (length < 0) {
            return new Result(classifyBadHeader(file, header, position, limit), position, 0, null, 0);
        }
        if (left - SegmentFormat.FRAME_HEADER_BYTES < length) {
            return new Result(Kind.INCOMPLETE, position, length, null, 0);
        }
        if (!withBody) {
            return new Result(Kind.FRAME, position, length, null, 0);
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        if (file.readFully(body, position + SegmentFormat.FRAME_HEADER_BYTES) < length) {
            return new Result(Kind.INCOMPLETE, position, length, null, 0);
        }
        body.flip();
        int crc = SegmentFormat.crc(body);
        Kind kind = crc == SegmentFormat.bodyCrc(header) ? Kind.FRAME : Kind.BAD_CRC;
        return new Result(kind, position, length, kind == Kind.FRAME ? body : null, crc);
    }

    private static Kind classifyBadHeader(StorageFile file, ByteBuffer header, long position, long limit)
            throws IOException {
        if (header.getLong(0) == 0 && header.getInt(8) == 0) {
            return Kind.ZERO_HEADER;
        }
        if (header.getInt(0) == SegmentFormat.FOOTER_MARKER && limit - position >= SegmentFormat.FOOTER_BYTES) {
            ByteBuffer footer = ByteBuffer.allocate(SegmentFormat.FOOTER_BYTES);
            file.readFully(footer, position);
            if (SegmentFormat.parseFooter(footer.flip()) != null) {
                return Kind.FOOTER;
            }
        }
        return Kind.BAD_HEADER;
    }

    /** @return whether every byte in {@code [from, to)} is zero */
    static boolean allZero(StorageFile file, long from, long to) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        for (long at = from; at < to; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), to - at));
            int n = file.readFully(chunk, at);
            if (n <= 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            at += n;
        }
        return true;
    }
}
