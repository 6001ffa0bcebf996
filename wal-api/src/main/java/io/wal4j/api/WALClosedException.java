package io.wal4j.api;

/**
 * A call reached an opener, WAL or scanner after its {@code close()} started, or a blocked call was released by
 * that close. The cause, when present, records who closed it (a stack trace taken at {@code close()}).
 */
public class WALClosedException extends WALException {
    private static final long serialVersionUID = 1L;

    /** @param message what was closed */
    public WALClosedException(String message) {
        super(message);
    }

    /**
     * @param message what was closed
     * @param closedBy where it was closed
     */
    public WALClosedException(String message, Throwable closedBy) {
        super(message, closedBy);
    }
}
