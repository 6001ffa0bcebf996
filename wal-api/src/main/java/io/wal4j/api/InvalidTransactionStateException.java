package io.wal4j.api;

/** A transaction was used in a state that does not allow the call (an append after commit, a second commit…). */
public class InvalidTransactionStateException extends WALException {
    private static final long serialVersionUID = 1L;

    private final long txnId;

    /**
     * @param txnId   the transaction
     * @param message the state it was in and what was attempted
     */
    public InvalidTransactionStateException(long txnId, String message) {
        super("transaction " + txnId + ": " + message);
        this.txnId = txnId;
    }

    /** @return the transaction's id */
    public long txnId() {
        return txnId;
    }
}
