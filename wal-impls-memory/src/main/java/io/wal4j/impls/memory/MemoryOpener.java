package io.wal4j.impls.memory;

import io.wal4j.api.AccessMode;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.utility.Lifetime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens channels of one {@link MemoryStore}. Owns nothing but the WALs it opened: the data belongs to the store, so
 * another opener on the same store (or a later one) sees it.
 *
 * <p>Thread-safe. {@link #close()} refuses new opens, waits for opens in flight, then closes every WAL it opened that
 * is still open, newest first. Idempotent; never throws.
 */
final class MemoryOpener implements OpenerImpls {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryOpener.class);

    private final MemoryStore store;
    private final long maxMessageBytes;
    private final Lifetime lifetime;
    private final Set<MemoryWALCore> wals = new LinkedHashSet<>();

    MemoryOpener(MemoryStore store, long maxMessageBytes) {
        this.store = store;
        this.maxMessageBytes = maxMessageBytes;
        this.lifetime = new Lifetime("memory opener on store " + store.name());
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
        Objects.requireNonNull(option, "option");
        if (option.isReadOnly()) {
            throw new IllegalArgumentException("open(" + option.channel() + ") asks for a read-only channel; "
                    + "use openReadOnly");
        }
        enter();
        try {
            PChannelInfo channel = option.channel();
            MemoryWAL wal = store.withChannel(channel.name(), log -> {
                MemoryLog.Writer writer = log.registerWriter(channel.term());
                MemoryWALCore core = new MemoryWALCore(log, channel, closed -> {
                    log.deregisterWriter(writer);
                    forget(closed);
                });
                track(core);
                return new MemoryWAL(core, log, writer, maxMessageBytes);
            });
            LOG.debug("opened memory WAL {} on store {}", channel, store.name());
            return wal;
        } finally {
            lifetime.exit();
        }
    }

    /**
     * Opens the channel for reading at any term. A read-write option is accepted and opened read-only.
     *
     * @throws NullPointerException if {@code option} is null
     * @throws WALClosedException   if the opener is closed
     */
    @Override
    public ReadOnlyWALImpls openReadOnly(OpenOption option) {
        Objects.requireNonNull(option, "option");
        enter();
        try {
            PChannelInfo channel = option.channel().withAccessMode(AccessMode.READ_ONLY);
            return store.withChannel(channel.name(), log -> {
                MemoryWALCore core = new MemoryWALCore(log, channel, this::forget);
                track(core);
                return new MemoryReadOnlyWAL(core);
            });
        } finally {
            lifetime.exit();
        }
    }

    private void enter() {
        if (!lifetime.tryEnter()) {
            throw new WALClosedException("memory opener on store " + store.name() + " is closed",
                    lifetime.closedBy());
        }
    }

    private void track(MemoryWALCore core) {
        store.register(core);
        synchronized (wals) {
            wals.add(core);
        }
    }

    /** Called back once by a closing WAL. */
    private void forget(MemoryWALCore core) {
        store.deregister(core);
        synchronized (wals) {
            wals.remove(core);
        }
    }

    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        lifetime.awaitQuiescent();
        List<MemoryWALCore> open;
        synchronized (wals) {
            open = new ArrayList<>(wals);
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        LOG.debug("closed memory opener on store {} and {} WALs", store.name(), open.size());
    }

    @Override
    public String toString() {
        return "MemoryOpener{store=" + store.name() + "}";
    }
}
