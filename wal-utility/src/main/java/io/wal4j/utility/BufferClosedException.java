package io.wal4j.utility;

/**
 * Thrown by {@link WriteAheadBuffer} and {@link PendingQueue} when an operation cannot proceed because the structure
 * was closed, including to threads that were blocked in it when it closed. If the structure was closed with a cause
 * (for example the failure that ended a scanner's upstream), that cause is this exception's {@link #getCause()}.
 *
 * <p>Unchecked: closing is the normal way a pipeline ends, and callers translate it into their own closed signal
 * (the adaptor maps it to {@code WALClosedException} or completes a scanner's {@code done()} future).
 */
public final class BufferClosedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was closed
     * @param cause   why it was closed, or null for an ordinary close
     */
    BufferClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
