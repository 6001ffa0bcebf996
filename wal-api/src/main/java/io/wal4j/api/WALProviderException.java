package io.wal4j.api;

/** A backend could not be found, registered or loaded: an unknown name, a duplicate name, a broken provider. */
public class WALProviderException extends WALException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the providers involved */
    public WALProviderException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the failure of the provider
     */
    public WALProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
