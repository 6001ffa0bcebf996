package io.wal4j.spi;

import io.wal4j.api.PChannelInfo;

/** One channel of a backend opened for reading. Thread-safe. */
public interface ReadOnlyWALImpls extends AutoCloseable {

    /** @return the backend's name */
    String walName();

    /** @return the channel as opened */
    PChannelInfo channel();

    /**
     * Creates a scanner delivering messages in id order from the option's position.
     *
     * @throws NullPointerException if {@code option} is null
     * @throws io.wal4j.api.WALClosedException        if this WAL is closed
     * @throws io.wal4j.api.InvalidMessageIdException if the policy's id belongs to another backend
     */
    ScannerImpls read(ReadOptionImpls option);

    /** Closes the WAL and every scanner it created. Idempotent; never throws. */
    @Override
    void close();
}
