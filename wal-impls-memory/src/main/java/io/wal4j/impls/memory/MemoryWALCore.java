package io.wal4j.impls.memory;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What a read-write and a read-only memory WAL share: the channel, the lifetime guard, the live scanners and the
 * failure left by a {@linkplain MemoryStore#simulateCrash() simulated crash}. {@link MemoryWAL} and
 * {@link MemoryReadOnlyWAL} hold one each (composition, so that a read-only WAL is not a {@code WALImpls}).
 * Thread-safe.
 */
final class MemoryWALCore {

    private final MemoryLog log;
    private final PChannelInfo channel;
    private final Lifetime lifetime;
    private final Set<MemoryScanner> scanners = ConcurrentHashMap.newKeySet();
    private final Consumer<MemoryWALCore> onClose;
    private volatile WALException failure;

    /**
     * @param onClose run once by the first {@link #close()}, after the scanners are closed: deregisters the WAL from
     *                its opener, store and log
     */
    MemoryWALCore(MemoryLog log, PChannelInfo channel, Consumer<MemoryWALCore> onClose) {
        this.log = log;
        this.channel = channel;
        this.onClose = onClose;
        this.lifetime = new Lifetime("memory WAL " + channel);
    }

    PChannelInfo channel() {
        return channel;
    }

    Lifetime lifetime() {
        return lifetime;
    }

    /** @return the exception for a call that arrives after {@link #close()} */
    WALClosedException closedException() {
        return new WALClosedException("memory WAL " + channel + " is closed", lifetime.closedBy());
    }

    /**
     * Enters the lifetime guard; the caller must {@code lifetime().exit()}.
     *
     * @throws WALClosedException if closed
     */
    void enter() {
        if (!lifetime.tryEnter()) {
            throw closedException();
        }
    }

    /** @see io.wal4j.spi.ReadOnlyWALImpls#read */
    ScannerImpls read(ReadOptionImpls option) {
        Objects.requireNonNull(option, "option");
        enter();
        try {
            WALException failed = failure;
            if (failed != null) {
                throw failed;
            }
            MemoryScanner scanner = new MemoryScanner(option.name(), channel, log,
                    startPosition(option.deliverPolicy()), scanners::remove);
            scanners.add(scanner);
            // A crash between the check above and the registration did not see this scanner.
            failed = failure;
            if (failed != null) {
                scanner.fail(failed);
            }
            return scanner;
        } finally {
            lifetime.exit();
        }
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

    /** Kills the WAL after a simulated crash: every scanner ends with {@code cause}, later reads throw it. */
    void fail(WALException cause) {
        failure = cause;
        for (MemoryScanner scanner : List.copyOf(scanners)) {
            scanner.fail(cause);
        }
    }

    /** Closes the WAL and its scanners. Idempotent; never throws. */
    void close() {
        if (!lifetime.close()) {
            return;
        }
        lifetime.awaitQuiescent();
        for (MemoryScanner scanner : List.copyOf(scanners)) {
            scanner.close();
        }
        onClose.accept(this);
    }
}
