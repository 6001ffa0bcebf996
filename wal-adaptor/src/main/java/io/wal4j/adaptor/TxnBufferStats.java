package io.wal4j.adaptor;

import java.util.concurrent.atomic.LongAdder;

/**
 * The read-side transaction counters of one WAL, summed over its scanners (Milvus reference §3.8 metrics): bytes of
 * open transactions held, and transactions committed (delivered), rolled back, expired and dropped as too large.
 * Thread-safe ({@link LongAdder}s).
 */
final class TxnBufferStats {

    final LongAdder heldBytes = new LongAdder();
    final LongAdder committed = new LongAdder();
    final LongAdder rolledBack = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder tooLarge = new LongAdder();

    /** @return the public snapshot, with {@code open} transactions on the writer */
    io.wal4j.api.TxnMetrics snapshot(long open) {
        return new io.wal4j.api.TxnMetrics(open, heldBytes.sum(), committed.sum(), rolledBack.sum(), expired.sum(),
                tooLarge.sum());
    }
}
