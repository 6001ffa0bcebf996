package io.wal4j.impls.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One open file of a {@link Storage}: positional I/O only. Thread-safe like {@link java.nio.channels.FileChannel}. */
interface StorageFile extends Closeable {

    /** Writes the remaining bytes of {@code src} at {@code position}; may write fewer. @return bytes written */
    int write(ByteBuffer src, long position) throws IOException;

    /** Reads into {@code dst} from {@code position}. @return bytes read, or -1 at the end of the file */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Forces written data to stable storage (not the metadata). */
    void force() throws IOException;

    /** @return the file size */
    long size() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;

    /** Writes every remaining byte of {@code src} at {@code position}. */
    default void writeFully(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += write(src, at);
        }
    }

    /**
     * Reads until {@code dst} is full or the file ends.
     *
     * @return bytes read
     */
    default int readFully(ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = read(dst, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
