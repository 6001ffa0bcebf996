package io.wal4j.impls.memory;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.helper.ChannelCore;
import io.wal4j.spi.helper.PullScanner;
import java.util.Optional;

/**
 * How a memory WAL, read-write or read-only, reads its channel: the storage half of its {@link ChannelCore}, which
 * holds the lifetime, the live scanners and the failure left by a {@linkplain MemoryStore#simulateCrash() simulated
 * crash}. Stateless apart from its log; thread-safe.
 */
final class MemoryReader implements ChannelCore.Reader<PullScanner> {

    private final MemoryLog log;
    private final PChannelInfo channel;

    MemoryReader(MemoryLog log, PChannelInfo channel) {
        this.log = log;
        this.channel = channel;
    }

    @Override
    public PullScanner open(ReadOptionImpls option, Runnable onClose) {
        MemoryCursor cursor = new MemoryCursor(log, startPosition(option.deliverPolicy()));
        return new PullScanner(option.name(), "memory scanner " + option.name() + " on " + channel, cursor, onClose);
    }

    /** The last acknowledged entry, looked up in O(1) under the log's lock; no scanner is created. */
    @Override
    public Optional<ImmutableMessage> readLast() {
        return log.lastAcknowledged().map(MemoryLog.Entry::toMessage);
    }

    private long startPosition(DeliverPolicy policy) {
        if (policy instanceof DeliverPolicy.StartFrom from) {
            return MemoryMessageId.require(from.id()).offset();
        }
        if (policy instanceof DeliverPolicy.StartAfter after) {
            long offset = MemoryMessageId.require(after.id()).offset();
            return offset == Long.MAX_VALUE ? offset : offset + 1;
        }
        if (policy instanceof DeliverPolicy.Latest) {
            return log.nextId();
        }
        return 0;
    }
}
