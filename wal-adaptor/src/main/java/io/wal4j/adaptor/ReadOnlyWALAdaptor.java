package io.wal4j.adaptor;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.TxnMetrics;
import io.wal4j.api.WALMetrics;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.utility.Lifetime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A channel opened read-only (Milvus reference §3.9): a backend {@link ReadOnlyWALImpls} with a lifetime and scanner
 * tracking. No interceptor, no time-tick sync, no write-ahead buffer: every scanner reads the backend (catch-up only,
 * still through the reorder pipeline). Writes are impossible by type: {@link ReadOnlyWAL} has no append.
 *
 * <p>Thread-safe. Close order: refuse new calls and signal unavailability, wait for in-flight calls, close every
 * scanner, close the backend, deregister from the opener. {@code close()} is idempotent; a second caller waits for
 * the first to finish.
 */
final class ReadOnlyWALAdaptor implements ReadOnlyWAL {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyWALAdaptor.class);

    private final String walName;
    private final PChannelInfo channel;
    private final ReadOnlyWALImpls backend;
    private final ReadSide readSide;
    private final Runnable onClosed;
    private final Lifetime lifetime;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CompletableFuture<Void> unavailable = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    ReadOnlyWALAdaptor(String walName, PChannelInfo channel, ReadOnlyWALImpls backend, Runnable onClosed) {
        this.walName = walName;
        this.channel = channel;
        this.backend = backend;
        this.readSide = new ReadSide(channel, backend);
        this.onClosed = onClosed;
        this.lifetime = new Lifetime("read-only WAL " + channel);
    }

    @Override
    public String walName() {
        return walName;
    }

    @Override
    public PChannelInfo channel() {
        return channel;
    }

    @Override
    public Scanner read(ReadOption option) {
        Objects.requireNonNull(option, "option");
        if (!lifetime.tryEnter()) {
            throw new WALClosedException("WAL " + channel + " is closed", lifetime.closedBy());
        }
        try {
            return readSide.read(option);
        } finally {
            lifetime.exit();
        }
    }

    @Override
    public CompletableFuture<Void> available() {
        return Futures.view(unavailable);
    }

    @Override
    public boolean isAvailable() {
        return !unavailable.isDone();
    }

    @Override
    public TxnMetrics txnMetrics() {
        return readSide.txnStats().snapshot(0);
    }

    @Override
    public WALMetrics metrics() {
        WALMetrics.Details details = new WALMetrics.Details(WALMetrics.Percentiles.NONE, WALMetrics.Percentiles.NONE,
                readSide.modes().catchUp(), readSide.modes().tailing(), 0, 0, 0, 0, 0, 0);
        return new WALMetrics(channel, 0, 0, 0, readSide.activeScanners(), 0, 0, Map.of(), details);
    }

    @Override
    public void close() {
        if (!closeStarted.compareAndSet(false, true)) {
            Futures.joinUninterruptibly(closed);
            return;
        }
        try {
            lifetime.close();
            unavailable.complete(null);
            Threads.awaitQuiescent(lifetime, LOG, "read-only WAL " + channel);
            readSide.closeAll();
            Threads.closeQuietly(backend, LOG, "backend of read-only WAL " + channel);
            onClosed.run();
        } finally {
            closed.complete(null);
        }
    }

    @Override
    public String toString() {
        return "ReadOnlyWALAdaptor{" + walName + " " + channel + "}";
    }
}
