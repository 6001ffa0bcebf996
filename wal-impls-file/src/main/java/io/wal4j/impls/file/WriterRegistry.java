package io.wal4j.impls.file;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.PChannelInfo;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The writers open in this process, one per channel directory (across every opener): opening a channel for writing
 * fences the current writer of that directory when the new term is at least as high, and refuses a lower term.
 * Across processes the directory's {@link ChannelLock} and the persisted {@link TermFile} do the same job.
 * Thread-safe: opens of one directory are serialised (by a striped lock).
 */
final class WriterRegistry {

    /** Striped so that opening many short-lived channels leaves nothing behind. */
    private static final Object[] LOCKS = new Object[64];
    private static final ConcurrentHashMap<Path, FileWAL> WRITERS = new ConcurrentHashMap<>();

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    private WriterRegistry() {
    }

    /**
     * @throws ChannelFencedException if a writer of a higher term is open in this process or persisted its term
     * @see FileWAL#open for the other exceptions
     */
    static FileWAL open(PChannelInfo channel, Path dir, FileConfig config, Storage storage, LongSupplier clock,
                        Consumer<FileWAL> onClose) {
        Path key = dir.toAbsolutePath().normalize();
        synchronized (LOCKS[Math.floorMod(key.hashCode(), LOCKS.length)]) {
            FileWAL current = WRITERS.get(key);
            if (current != null && current.term() > channel.term()) {
                throw new ChannelFencedException(channel.name(), channel.term(), "a writer at term " + current.term()
                        + " owns the channel in this process");
            }
            if (current != null) {
                current.fence(channel.term());
            }
            FileWAL wal = FileWAL.open(channel, key, config, storage, clock, w -> {
                WRITERS.remove(key, w);
                onClose.accept(w);
            });
            WRITERS.put(key, wal);
            return wal;
        }
    }
}
