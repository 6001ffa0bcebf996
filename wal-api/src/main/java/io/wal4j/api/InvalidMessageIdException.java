package io.wal4j.api;

/** Bytes could not be decoded as a message id of the named backend, or an id belongs to another backend. */
public class InvalidMessageIdException extends WALException {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected and what was found */
    public InvalidMessageIdException(String message) {
        super(message);
    }

    /**
     * @param message what was expected and what was found
     * @param cause   the decoding failure
     */
    public InvalidMessageIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
