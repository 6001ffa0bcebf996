package io.wal4j.api;

/** A transaction's keepalive lapsed before it was committed; its messages will never be delivered. */
public class TransactionExpiredException extends WALException {
    private static final long serialVersionUID = 1L;

    private final long txnId;

    /**
     * @param txnId   the expired transaction
     * @param message when and why it expired
     */
    public TransactionExpiredException(long txnId, String message) {
        super("transaction " + txnId + " expired: " + message);
        this.txnId = txnId;
    }

    /** @return the expired transaction's id */
    public long txnId() {
        return txnId;
    }
}
