package io.wal4j.api.message;

import java.time.Duration;
import java.util.Objects;

/**
 * The transaction a message belongs to: its id and its keepalive (how long it may stay idle before it expires).
 * Immutable and thread-safe.
 *
 * @param txnId     the transaction id, {@code >= 0}
 * @param keepalive the idle time after which the transaction expires; positive
 */
public record TxnContext(long txnId, Duration keepalive) {

    /**
     * @throws NullPointerException     if {@code keepalive} is null
     * @throws IllegalArgumentException if the id is negative or the keepalive not positive
     */
    public TxnContext {
        Objects.requireNonNull(keepalive, "keepalive");
        if (txnId < 0) {
            throw new IllegalArgumentException("txnId must be >= 0, got " + txnId);
        }
        if (keepalive.isNegative() || keepalive.isZero()) {
            throw new IllegalArgumentException("keepalive must be positive, got " + keepalive);
        }
    }

    /** @return the encoding stored in {@link ReservedProperties#TXN_CONTEXT}: {@code <id>:<keepalive millis>} */
    public String encode() {
        return txnId + ":" + keepalive.toMillis();
    }

    /**
     * @throws IllegalArgumentException if {@code text} is not the output of {@link #encode()}
     */
    public static TxnContext decode(String text) {
        int colon = text.indexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException("no ':'");
            }
            return new TxnContext(Long.parseLong(text.substring(0, colon)),
                    Duration.ofMillis(Long.parseLong(text.substring(colon + 1))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid transaction context \"" + text + "\"", e);
        }
    }
}
