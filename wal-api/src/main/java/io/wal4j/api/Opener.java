package io.wal4j.api;

/**
 * Opens WALs on one backend's resources and owns them: closing the opener closes every WAL it opened that is still
 * open. Thread-safe; {@link #open} may be called concurrently for different channels.
 */
public interface Opener extends AutoCloseable {

    /**
     * Opens a channel for writing.
     *
     * @param option a read-write channel
     * @return the WAL; the caller closes it (or the opener does)
     * @throws NullPointerException     if {@code option} is null
     * @throws IllegalArgumentException if the option is read-only
     * @throws WALClosedException       if this opener is closed
     * @throws ChannelFencedException   if a writer with a higher term already owns the channel
     * @throws WALStorageException      if the backend fails to open the channel
     */
    WAL open(OpenOption option);

    /**
     * Opens a channel for reading only; works whatever the channel's current writer.
     *
     * @param option a channel; its access mode is ignored
     * @return the read-only WAL
     * @throws NullPointerException if {@code option} is null
     * @throws WALClosedException   if this opener is closed
     * @throws WALStorageException  if the backend fails to open the channel
     * @throws UnsupportedOperationException if the backend has no read-only mode
     */
    ReadOnlyWAL openReadOnly(OpenOption option);

    /**
     * Closes every WAL still open (in reverse order of opening), then releases the backend's resources. Idempotent;
     * never throws; waits for in-flight appends of those WALs to finish.
     */
    @Override
    void close();
}
