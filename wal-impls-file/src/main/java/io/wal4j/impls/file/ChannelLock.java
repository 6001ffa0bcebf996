package io.wal4j.impls.file;

import io.wal4j.api.WALStorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive {@link FileLock} on a channel directory's {@code lock} file: one writer per channel across
 * processes. Within a process, {@link WriterRegistry} hands the lock over on fencing. Not thread-safe; owned by one
 * {@link FileWAL}.
 */
final class ChannelLock implements AutoCloseable {

    static final String NAME = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private ChannelLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws WALStorageException naming the lock file if another process (or another opener) holds it
     */
    static ChannelLock acquire(Path dir) {
        Path path = dir.resolve(NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new WALStorageException("channel directory " + dir + " is already open for writing by another"
                        + " process: lock file " + path + " is held");
            }
            return new ChannelLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new WALStorageException("channel directory " + dir + " is already open for writing in this"
                    + " process: lock file " + path + " is held", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new WALStorageException("cannot lock " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was locked.
            }
        }
    }

    /** Releases the lock. Idempotent; never throws. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // Closing the channel below releases it anyway.
        }
        closeQuietly(channel);
    }
}
