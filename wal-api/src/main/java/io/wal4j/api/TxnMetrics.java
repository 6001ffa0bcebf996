package io.wal4j.api;

/**
 * A snapshot of a WAL's transaction figures. Immutable and thread-safe.
 *
 * @param open       transactions open on the writer (begun, not yet committed, rolled back, failed or expired); 0 on
 *                   a read-only WAL
 * @param heldBytes  estimated bytes of open transactions held by the WAL's scanners while they wait for commits
 * @param committed  transactions delivered whole to the WAL's scanners (counted once per scanner)
 * @param rolledBack rolled-back transactions the scanners dropped
 * @param expired    expired or abandoned (older writer) transactions the scanners dropped
 * @param tooLarge   scanners failed because the transactions they held exceeded their limit
 */
public record TxnMetrics(long open, long heldBytes, long committed, long rolledBack, long expired, long tooLarge) {

    /** Nothing tracked. */
    public static final TxnMetrics NONE = new TxnMetrics(0, 0, 0, 0, 0, 0);
}
