package io.wal4j.api;

/**
 * The entry point of one backend wrapped into a full WAL: stateless, one per backend and interceptor chain, found by
 * name ({@code WALRegistry.builder("file")} in {@code wal-adaptor}). Thread-safe.
 */
public interface OpenerBuilder {

    /** @return the backend's registered name, e.g. {@code "memory"} or {@code "file"} */
    String name();

    /**
     * Creates an opener holding the backend's resources (a directory, a client).
     *
     * @param config the configuration; keys the backend does not know under its own prefix are refused
     * @return a new opener; the caller closes it
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException naming the key when a configuration value is unknown or malformed
     * @throws WALStorageException      if the backend's resources cannot be acquired
     */
    Opener build(WALConfig config);
}
