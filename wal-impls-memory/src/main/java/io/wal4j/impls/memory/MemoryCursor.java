package io.wal4j.impls.memory;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.helper.PullScanner;
import java.util.function.BooleanSupplier;

/**
 * A memory scanner's position in its channel's {@link MemoryLog}: the storage half of a {@link PullScanner}. It has
 * no thread of its own: the consuming thread waits on the log's {@code Condition} until an entry is acknowledged, or
 * the scanner is closed or fails. Entries truncated away before they were read are skipped: the scanner continues at
 * the first retained entry.
 *
 * <p>Confined to the scanner's consuming thread, except {@link #wakeUp()} (any thread).
 */
final class MemoryCursor implements PullScanner.Cursor {

    private final MemoryLog log;
    private long position;

    /** @param position the first id to deliver (or the first retained one after it) */
    MemoryCursor(MemoryLog log, long position) {
        this.log = log;
        this.position = position;
    }

    @Override
    public ImmutableMessage next(long timeoutNanos, BooleanSupplier stop) throws InterruptedException {
        MemoryLog.Entry entry = log.await(position, timeoutNanos, stop);
        if (entry == null) {
            return null;
        }
        position = entry.id() + 1;
        return entry.toMessage();
    }

    @Override
    public void wakeUp() {
        log.wakeReaders();
    }

    @Override
    public String toString() {
        return "MemoryCursor{" + log.channel() + "@" + position + "}";
    }
}
