package io.wal4j.impls.memory;

import io.wal4j.api.PChannelInfo;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;

/**
 * A reader of one channel of a {@link MemoryStore}. Not a {@link io.wal4j.spi.WALImpls}, so it cannot be written
 * to; it neither checks nor changes the channel's fencing term, and a writer opening the channel does not affect it.
 *
 * <p>Thread-safe. Lifetime: owned by its {@link MemoryOpener}; {@link #close()} closes its scanners; later calls fail
 * with {@link io.wal4j.api.WALClosedException}. A simulated crash kills it like a writer.
 */
final class MemoryReadOnlyWAL implements ReadOnlyWALImpls {

    private final MemoryWALCore core;

    MemoryReadOnlyWAL(MemoryWALCore core) {
        this.core = core;
    }

    @Override
    public String walName() {
        return MemoryOpenerBuilder.NAME;
    }

    @Override
    public PChannelInfo channel() {
        return core.channel();
    }

    @Override
    public ScannerImpls read(ReadOptionImpls option) {
        return core.read(option);
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "MemoryReadOnlyWAL{" + core.channel() + "}";
    }
}
