package io.wal4j.metrics.micrometer;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.TxnMetrics;
import io.wal4j.api.WALMetrics;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link ReadOnlyWAL} whose metrics the test sets, to check the binder's mapping field by field; closing (or
 * fencing) completes its {@link #available()} future as a real WAL does.
 */
final class FakeWAL implements ReadOnlyWAL {

    private final PChannelInfo channel;
    private final CompletableFuture<Void> unavailable = new CompletableFuture<>();
    private volatile WALMetrics metrics;
    private volatile TxnMetrics txnMetrics = TxnMetrics.NONE;

    FakeWAL(PChannelInfo channel, WALMetrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    void setMetrics(WALMetrics metrics) {
        this.metrics = metrics;
    }

    void setTxnMetrics(TxnMetrics txnMetrics) {
        this.txnMetrics = txnMetrics;
    }

    void fence(RuntimeException cause) {
        unavailable.completeExceptionally(cause);
    }

    @Override
    public String walName() {
        return "fake";
    }

    @Override
    public PChannelInfo channel() {
        return channel;
    }

    @Override
    public Scanner read(ReadOption option) {
        throw new UnsupportedOperationException("the fake WAL has no data");
    }

    @Override
    public CompletableFuture<Void> available() {
        return unavailable.thenApply(v -> v);
    }

    @Override
    public boolean isAvailable() {
        return !unavailable.isDone();
    }

    @Override
    public WALMetrics metrics() {
        return metrics;
    }

    @Override
    public TxnMetrics txnMetrics() {
        return txnMetrics;
    }

    @Override
    public void close() {
        unavailable.complete(null);
    }
}
