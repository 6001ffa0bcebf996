package io.wal4j.spi;

import io.wal4j.api.OpenOption;

/**
 * Opens channels on one backend's resources. Thread-safe: {@code open} may run concurrently for different channels.
 * Closing it releases the resources; the adaptor closes every WAL first.
 */
public interface OpenerImpls extends AutoCloseable {

    /**
     * Opens a channel for writing. A backend with {@linkplain Capabilities#fencing() fencing} fences any writer of a
     * lower term.
     *
     * @throws NullPointerException     if {@code option} is null
     * @throws IllegalArgumentException if the option is read-only
     * @throws io.wal4j.api.WALClosedException     if the opener is closed
     * @throws io.wal4j.api.ChannelFencedException if a writer with a higher term owns the channel
     * @throws io.wal4j.api.WALStorageException    if the channel cannot be opened
     */
    WALImpls open(OpenOption option);

    /**
     * Opens a channel for reading; the returned object is not a {@link WALImpls}, or if it is, its writes fail with
     * {@link UnsupportedOperationException}.
     *
     * @throws NullPointerException if {@code option} is null
     * @throws io.wal4j.api.WALClosedException  if the opener is closed
     * @throws io.wal4j.api.WALStorageException if the channel cannot be opened
     * @throws UnsupportedOperationException    if the backend has no read-only mode
     */
    ReadOnlyWALImpls openReadOnly(OpenOption option);

    /** Releases the backend's resources. Idempotent; never throws. */
    @Override
    void close();
}
