package io.wal4j.impls.memory;

import io.wal4j.api.OpenOption;
import io.wal4j.api.WALClosedException;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.spi.helper.ChannelCore;
import io.wal4j.spi.helper.ChannelWAL;
import io.wal4j.spi.helper.OpenerLifetime;
import io.wal4j.spi.helper.PullScanner;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens channels of one {@link MemoryStore}. Owns nothing but the WALs it opened: the data belongs to the store, so
 * another opener on the same store (or a later one) sees it. A read-only WAL is a bare {@link ChannelCore} over a
 * {@link MemoryReader}; a read-write one a {@link ChannelWAL} of such a core and a {@link MemoryWrites}.
 *
 * <p>Thread-safe. {@link #close()} refuses new opens, waits for opens in flight, then closes every WAL it opened that
 * is still open, newest first ({@link OpenerLifetime}). Idempotent; never throws.
 */
final class MemoryOpener implements OpenerImpls {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryOpener.class);

    private final MemoryStore store;
    private final Capabilities capabilities;
    private final OpenerLifetime<ChannelCore<PullScanner>> lifetime;

    /** @param maxMessageBytes the configured {@link MemoryOpenerBuilder#MAX_MESSAGE_BYTES} */
    MemoryOpener(MemoryStore store, long maxMessageBytes) {
        this.store = store;
        this.capabilities = MemoryOpenerBuilder.CAPABILITIES.withMaxMessageBytes(maxMessageBytes);
        this.lifetime = new OpenerLifetime<>("memory opener on store " + store.name());
    }

    /**
     * Opens the channel for writing, fencing every live writer of the channel (their later appends and truncates
     * fail with {@link io.wal4j.api.ChannelFencedException}). A writer at the same term as the highest seen takes the
     * channel over too, so a writer that died without closing never blocks its successor.
     *
     * @throws NullPointerException     if {@code option} is null
     * @throws IllegalArgumentException if the option is read-only
     * @throws WALClosedException       if the opener is closed
     * @throws io.wal4j.api.ChannelFencedException if a writer of a higher term has opened the channel
     */
    @Override
    public WALImpls open(OpenOption option) {
        return lifetime.openReadWrite(option, channel -> store.withChannel(channel.name(), log -> {
            MemoryLog.Writer writer = log.registerWriter(channel.term());
            ChannelCore<PullScanner> core = track(new ChannelCore<>(MemoryOpenerBuilder.NAME, channel,
                    new MemoryReader(log, channel), () -> log.deregisterWriter(writer), this::forget));
            LOG.debug("opened memory WAL {} on store {}", channel, store.name());
            return new ChannelWAL(core, capabilities, new MemoryWrites(log, writer));
        }));
    }

    /**
     * Opens the channel for reading at any term. A read-write option is accepted and opened read-only. The WAL
     * neither checks nor changes the channel's fencing term, and a writer opening the channel does not affect it; a
     * simulated crash kills it like a writer.
     *
     * @throws NullPointerException if {@code option} is null
     * @throws WALClosedException   if the opener is closed
     */
    @Override
    public ReadOnlyWALImpls openReadOnly(OpenOption option) {
        return lifetime.openReadOnly(option, channel -> store.withChannel(channel.name(), log -> track(
                new ChannelCore<>(MemoryOpenerBuilder.NAME, channel, new MemoryReader(log, channel), () -> { },
                        this::forget))));
    }

    /** @return the builder's capabilities with this opener's {@code wal.memory.max-message-bytes} */
    @Override
    public Optional<Capabilities> capabilities() {
        return Optional.of(capabilities);
    }

    /** Called under the store lock, so a crash either sees the new WAL or happened before it. */
    private ChannelCore<PullScanner> track(ChannelCore<PullScanner> core) {
        store.register(core);
        lifetime.track(core);
        return core;
    }

    /** Called back once by a closing WAL. */
    private void forget(ChannelCore<PullScanner> core) {
        store.deregister(core);
        lifetime.forget(core);
    }

    @Override
    public void close() {
        if (lifetime.close()) {
            LOG.debug("closed memory opener on store {}", store.name());
        }
    }

    @Override
    public String toString() {
        return "MemoryOpener{store=" + store.name() + "}";
    }
}
