package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A scanner's read-ahead buffer: reads the committed bytes of a segment in chunks of up to {@value #MAX_BYTES}
 * bytes with one positional read each, and hands out the frames in them, checksum verified, as views of the buffer.
 * A scanner catching up thus pays one system call per chunk instead of two per record, and no allocation per record
 * beyond the decoded message.
 *
 * <p>Only bytes below the limit the caller passes (a segment's committed end) are ever read, and committed bytes
 * never change, so what is buffered stays valid until the buffer moves on; a different file starts afresh. A frame
 * that is malformed or does not fit the largest buffer is read by {@link FrameReader} instead, which also classifies
 * what is wrong. The buffer starts small, doubles while reads fill it, and {@link #release()} drops a large one, so
 * an idle tailing scanner holds at most {@value #KEPT_BYTES} bytes.
 *
 * <p>Not thread-safe: owned by one scanner's consuming thread.
 */
final class ReadAhead {

    /** The largest buffer. */
    static final int MAX_BYTES = 64 << 10;
    /** The largest buffer kept by {@link #release()}. */
    static final int KEPT_BYTES = 4 << 10;
    private static final int MIN_BYTES = 512;

    private ByteBuffer buffer;
    private StorageFile file;
    /** The file position of {@code buffer}'s byte 0; its limit is the end of the valid bytes. */
    private long start;

    /**
     * Reads the frame at {@code position}: a {@link FrameReader.Kind#FRAME} result whose body is a view of this
     * buffer (valid until the next call), or whatever {@link FrameReader#read} says is there instead.
     *
     * @param limit    the committed end of the segment: no byte at or past it is read
     * @param withBody whether the caller wants the body; false only checks the header (for skipping)
     * @throws IOException if a read fails
     */
    FrameReader.Result read(StorageFile source, long position, long limit, boolean withBody) throws IOException {
        if (limit - position < SegmentFormat.FRAME_HEADER_BYTES) {
            return FrameReader.read(source, position, limit, withBody);
        }
        if (!holds(source, position, SegmentFormat.FRAME_HEADER_BYTES)
                && !fill(source, position, limit, SegmentFormat.FRAME_HEADER_BYTES)) {
            return FrameReader.read(source, position, limit, withBody);
        }
        int at = (int) (position - start);
        int length = buffer.getInt(at);
        if (length != ~buffer.getInt(at + 4) || length < 1 || length > SegmentFormat.MAX_BODY_BYTES
                || limit - position - SegmentFormat.FRAME_HEADER_BYTES < length) {
            return FrameReader.read(source, position, limit, withBody);
        }
        if (!withBody) {
            return new FrameReader.Result(FrameReader.Kind.FRAME, position, length, null, 0);
        }
        int frameBytes = SegmentFormat.FRAME_HEADER_BYTES + length;
        if (!holds(source, position, frameBytes) && !fill(source, position, limit, frameBytes)) {
            return FrameReader.read(source, position, limit, true);
        }
        at = (int) (position - start);
        int expectedCrc = buffer.getInt(at + 8);
        ByteBuffer body = buffer.duplicate().position(at + SegmentFormat.FRAME_HEADER_BYTES)
                .limit(at + frameBytes).slice();
        int crc = SegmentFormat.crc(body);
        if (crc != expectedCrc) {
            return FrameReader.read(source, position, limit, true);
        }
        return new FrameReader.Result(FrameReader.Kind.FRAME, position, length, body, crc);
    }

    /** Drops a buffer larger than {@value #KEPT_BYTES} bytes, and forgets the buffered bytes either way. */
    void release() {
        file = null;
        if (buffer != null && buffer.capacity() > KEPT_BYTES) {
            buffer = null;
        }
    }

    /** @return the capacity of the buffer held, 0 when none (for tests) */
    int bufferBytes() {
        return buffer == null ? 0 : buffer.capacity();
    }

    private boolean holds(StorageFile source, long position, int bytes) {
        return source == file && position >= start && position + bytes <= start + buffer.limit();
    }

    /**
     * Reads from {@code position} as many committed bytes as the buffer takes, growing it when a read filled it.
     *
     * @return whether at least {@code needed} bytes are buffered from {@code position}; false when the frame does
     *     not fit the largest buffer or the file is shorter than the limit says
     */
    private boolean fill(StorageFile source, long position, long limit, int needed) throws IOException {
        if (needed > MAX_BYTES) {
            return false;
        }
        long available = limit - position;
        int size = buffer == null ? MIN_BYTES : buffer.capacity();
        boolean sequential = source == file && buffer.limit() == buffer.capacity() && position >= start
                && position - start < 2L * buffer.capacity();
        if (sequential && size < available) {
            // The last read filled the buffer and the scanner went on past it: read more at a time.
            size *= 2;
        }
        while (size < needed) {
            size *= 2;
        }
        size = Math.min(size, MAX_BYTES);
        if (buffer == null || buffer.capacity() != size) {
            buffer = ByteBuffer.allocate(size);
        }
        buffer.clear().limit((int) Math.min(buffer.capacity(), available));
        file = null;
        int n = source.readFully(buffer, position);
        buffer.flip();
        file = source;
        start = position;
        return n >= needed;
    }
}
