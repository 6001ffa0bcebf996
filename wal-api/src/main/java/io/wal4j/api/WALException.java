package io.wal4j.api;

/**
 * The root of wal4j's unchecked exceptions. Subclasses carry structured fields (channel, term, id, file,
 * position) with getters; messages state facts.
 */
public class WALException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened */
    public WALException(String message) {
        super(message);
    }

    /**
     * @param message what happened
     * @param cause   the underlying failure
     */
    public WALException(String message, Throwable cause) {
        super(message, cause);
    }
}
