package io.wal4j.api;

/**
 * The storage under a WAL failed (an I/O error, a full disk, a broken connection).
 *
 * <p>A failure is either <b>transient</b> (a timeout, a broker restarting: the same call may succeed later, and the
 * adaptor retries it with backoff) or <b>permanent</b> ({@link #isPermanent()}: the WAL is poisoned — a backend that
 * may have lost unacknowledged data fails every later append with the same cause, and only closing and reopening the
 * WAL recovers; the adaptor never retries it).
 */
public class WALStorageException extends WALException {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    /** A transient failure. @param message what failed */
    public WALStorageException(String message) {
        this(message, null, false);
    }

    /**
     * A transient failure.
     *
     * @param message what failed
     * @param cause   the underlying failure, typically an {@link java.io.IOException}
     */
    public WALStorageException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param message   what failed
     * @param cause     the underlying failure, or null
     * @param permanent whether the WAL is poisoned: retrying cannot succeed before a reopen
     */
    public WALStorageException(String message, Throwable cause, boolean permanent) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** @return whether the WAL is poisoned: every later call fails the same way until it is reopened */
    public boolean isPermanent() {
        return permanent;
    }
}
