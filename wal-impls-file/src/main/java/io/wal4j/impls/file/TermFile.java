package io.wal4j.impls.file;

import io.wal4j.api.WALCorruptionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The channel's persisted fencing term, in the file {@code term}: {@code "WTRM" u16 version=1 i64 term
 * u32 crc32c(previous 14 bytes)}. Written atomically: a temporary file is written and forced, renamed over the
 * old one, and the directory forced. Stateless; callers serialise writes per channel.
 */
final class TermFile {

    static final String NAME = "term";
    static final String TEMP_NAME = "term.tmp";
    private static final int MAGIC = 0x5754524D;
    private static final int BYTES = 18;

    private TermFile() {
    }

    /**
     * @return the persisted term, or -1 if none was ever written
     * @throws WALCorruptionException if the file is malformed
     */
    static long read(Path dir, Storage storage) throws IOException {
        Path path = dir.resolve(NAME);
        if (!Files.exists(path)) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.allocate(BYTES + 1);
        try (StorageFile file = storage.open(path, false)) {
            file.readFully(b, 0);
        }
        b.flip();
        if (b.remaining() != BYTES || b.getInt(0) != MAGIC || b.getShort(4) != 1
                || b.getInt(14) != SegmentFormat.crc(b.array(), 0, 14)) {
            throw new WALCorruptionException(path.toString(), 0, "malformed term file (" + b.remaining()
                    + " bytes)");
        }
        return b.getLong(6);
    }

    /** Persists {@code term} atomically. */
    static void write(Path dir, long term, Storage storage) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.putInt(MAGIC).putShort((short) 1).putLong(term);
        b.putInt(SegmentFormat.crc(b.array(), 0, 14)).flip();
        Path temp = dir.resolve(TEMP_NAME);
        storage.delete(temp);
        try (StorageFile file = storage.open(temp, true)) {
            file.writeFully(b, 0);
            file.force();
        }
        storage.move(temp, dir.resolve(NAME));
        storage.forceDirectory(dir);
    }
}
