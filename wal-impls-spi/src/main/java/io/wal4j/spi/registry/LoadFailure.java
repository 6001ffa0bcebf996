package io.wal4j.spi.registry;

/**
 * A provider that could not be loaded or registered during discovery.
 *
 * @param provider the provider class with its origin, or what the {@code ServiceLoader} error said when the class
 *                 itself could not be named
 * @param cause    the failure
 */
record LoadFailure(String provider, Throwable cause) {

    @Override
    public String toString() {
        return provider + ": " + describe(cause);
    }

    private static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder(cause.toString());
        // The ServiceLoader wraps the constructor's exception; the root says what actually went wrong.
        for (Throwable c = cause.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            text.append(" <- ").append(c);
        }
        return text.toString();
    }
}
