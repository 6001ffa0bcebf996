package io.wal4j.api;

import java.util.concurrent.CompletableFuture;

/**
 * One channel opened for reading. Thread-safe. Lives inside its {@link Opener}; closing it closes its scanners.
 */
public interface ReadOnlyWAL extends AutoCloseable {

    /** @return the backend's name */
    String walName();

    /** @return the channel as opened */
    PChannelInfo channel();

    /**
     * Creates a scanner.
     *
     * @param option where to start and what to deliver
     * @return a new scanner; the caller closes it (or the WAL does)
     * @throws NullPointerException if {@code option} is null
     * @throws WALClosedException   if this WAL is closed or closing
     * @throws io.wal4j.api.InvalidMessageIdException if the policy's id belongs to another backend
     */
    Scanner read(ReadOption option);

    /**
     * @return a future completed when this WAL becomes unavailable (closed or fenced); completed normally, or
     *     exceptionally with {@link ChannelFencedException} when fenced
     */
    CompletableFuture<Void> available();

    /** @return whether the WAL is still open and not fenced */
    boolean isAvailable();

    /** @return a snapshot of this WAL's counters; cheap, never blocks */
    WALMetrics metrics();

    /**
     * Closes the WAL: refuses new calls, waits for in-flight ones, closes the scanners, then the backend. Idempotent;
     * never throws.
     */
    @Override
    void close();

    /**
     * A snapshot of the transaction figures; the default (a WAL without transactions) reports {@link TxnMetrics#NONE}.
     *
     * @return the snapshot; never null
     */
    default TxnMetrics txnMetrics() {
        return TxnMetrics.NONE;
    }
}
