package io.wal4j.api;

/**
 * The storage under a WAL failed (an I/O error, a full disk, a broken connection). A backend that may have lost
 * unacknowledged data after such a failure poisons the WAL: every later append fails with the same cause.
 */
public class WALStorageException extends WALException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public WALStorageException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying failure, typically an {@link java.io.IOException}
     */
    public WALStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
