package io.wal4j.utility;

/**
 * Thrown by {@link WriteAheadBuffer} when a reader asks for entries that are no longer retained: its offset fell
 * below the buffer's head because eviction (by bytes or by age) overtook it, or the buffer cannot prove that no
 * wanted entry precedes its head. The caller is expected to fall back to the backing log.
 *
 * <p>Unchecked on purpose: falling behind is an ordinary, recoverable event for a tailing reader, and the adaptor
 * translates it into a switch to catch-up mode rather than an error. Instances are immutable and thread-safe.
 */
public final class EvictedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long firstOffset;

    /**
     * @param message     what was asked for and why it cannot be served
     * @param firstOffset the offset of the buffer's first retained entry when the failure was detected
     */
    EvictedException(String message, long firstOffset) {
        super(message);
        this.firstOffset = firstOffset;
    }

    /** @return the offset of the buffer's first retained entry when the failure was detected */
    public long firstOffset() {
        return firstOffset;
    }
}
