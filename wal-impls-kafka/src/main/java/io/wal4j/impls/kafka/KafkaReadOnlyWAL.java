package io.wal4j.impls.kafka;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.ImmutableMessage;
import java.util.Optional;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;

/**
 * A reader of one channel: no producer, so it neither checks nor changes the channel's writer or term, and a writer
 * opening the channel does not affect it. Works from any process that reaches the cluster.
 *
 * <p>Thread-safe. Lifetime: owned by its {@link KafkaOpener}; {@link #close()} closes its scanners; later calls fail
 * with {@link io.wal4j.api.WALClosedException}.
 */
final class KafkaReadOnlyWAL implements ReadOnlyWALImpls {

    private final KafkaWALCore core;

    KafkaReadOnlyWAL(KafkaWALCore core) {
        this.core = core;
    }

    @Override
    public String walName() {
        return KafkaOpenerBuilder.NAME;
    }

    @Override
    public PChannelInfo channel() {
        return core.channel();
    }

    @Override
    public ScannerImpls read(ReadOptionImpls option) {
        return core.read(option);
    }

    /** Reads a short window before the committed end of the partition; see {@code KafkaLastMessage}. */
    @Override
    public Optional<ImmutableMessage> readLast() {
        return core.readLast();
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "KafkaReadOnlyWAL{" + core.channel() + "}";
    }
}
