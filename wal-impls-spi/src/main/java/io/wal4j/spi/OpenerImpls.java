package io.wal4j.spi;

import io.wal4j.api.OpenOption;
import java.util.Optional;

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

    /**
     * What this opener's WALs support, when its configuration changes what {@link OpenerBuilderImpls#capabilities()}
     * says: the builder's capabilities are per backend, but a configurable size limit (such as
     * {@code wal.memory.max-message-bytes}) is per opener, and the adaptor refuses messages above the limit it is
     * given. An opener that overrides this must return its builder's capabilities with only the configured values
     * changed ({@link Capabilities#withMaxMessageBytes}), and its WALs must enforce exactly those values.
     *
     * <p>The default, empty, means "the builder's {@link OpenerBuilderImpls#capabilities()}", so a backend without
     * per-opener settings need not override it. Callers take
     * {@code opener.capabilities().orElseGet(builder::capabilities)}.
     *
     * @return this opener's capabilities, or empty for the builder's
     */
    default Optional<Capabilities> capabilities() {
        return Optional.empty();
    }

    /** Releases the backend's resources. Idempotent; never throws. */
    @Override
    void close();
}
