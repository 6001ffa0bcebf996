package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads a segment's frames forward from a position, verifying each checksum and indexing them, until something
 * other than a valid frame is found. Stateless.
 */
final class SegmentScan {

    /**
     * @param count   valid records from the segment start to {@code end}
     * @param end     the position after the last valid record
     * @param stop    what stopped the scan (END, FOOTER or a bad frame)
     */
    record Outcome(long count, long end, FrameReader.Result stop) {
    }

    private SegmentScan() {
    }

    /**
     * @param segment the segment (its file is read, its index filled)
     * @param from    the position of the first frame to read
     * @param count   records before {@code from}
     * @param limit   the size of the file
     * @param crc     updated with every valid frame's bytes; may be null
     */
    static Outcome scan(Segment segment, long from, long count, long limit, CRC32C crc) throws IOException {
        long at = from;
        long n = count;
        while (true) {
            FrameReader.Result r = FrameReader.read(segment.file(), at, limit, true);
            if (r.kind() != FrameReader.Kind.FRAME) {
                return new Outcome(n, at, r);
            }
            if (crc != null) {
                ByteBuffer header = ByteBuffer.allocate(SegmentFormat.FRAME_HEADER_BYTES);
                header.putInt(r.bodyLength()).putInt(~r.bodyLength()).putInt(r.bodyCrc()).flip();
                crc.update(header);
                crc.update(r.body().duplicate());
            }
            segment.indexFrame(segment.baseId() + n, at);
            n++;
            at = r.next();
        }
    }
}
