package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

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

    /**
     * Creates {@code dir} and its missing ancestors, outermost first, forcing the parent of each one it creates: a
     * new directory's entry is only durable once its parent is forced, and everything below it depends on it.
     * Does nothing when {@code dir} exists.
     */
    default void createDirectories(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
            }
            forceDirectory(p.getParent());
        }
    }
}
