package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The seam between the log and the file system: every write, read, force, truncate, rename and delete of channel
 * data and metadata goes through it, so tests can inject torn writes, lost unforced bytes, a full disk and failing
 * forces. Implementations are thread-safe.
 */
interface Storage {

    /** @return the storage over the real file system */
    static Storage real() {
        return RealStorage.INSTANCE;
    }

    /**
     * Opens (and, when {@code write}, creates) a file.
     *
     * @param write whether the file is opened for writing too
     */
    StorageFile open(Path path, boolean write) throws IOException;

    /** Forces a directory's entries (created, renamed, deleted files) to stable storage. */
    void forceDirectory(Path dir) throws IOException;

    /** Renames {@code from} to {@code to} atomically, replacing {@code to}. */
    void move(Path from, Path to) throws IOException;

    /** Deletes a file if it exists. */
    void delete(Path path) throws IOException;
}
