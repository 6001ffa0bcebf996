package io.wal4j.api;

import io.wal4j.api.message.MutableMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One channel opened by its writer. Thread-safe: any number of threads may append concurrently; ids and time ticks
 * increase in the order appends are acknowledged.
 *
 * <p>Appends never lose, duplicate or reorder an acknowledged message. The WAL copies each message before stamping
 * it, so callers may reuse their {@link MutableMessage}.
 */
public interface WAL extends ReadOnlyWAL {

    /**
     * Appends a message asynchronously. Never throws: every failure completes the future exceptionally, with
     * {@link NullPointerException} for a null message, {@link WALClosedException} after close,
     * {@link ChannelFencedException} when fenced, {@link MessageTooLargeException},
     * {@link IllegalArgumentException} for a message the WAL refuses (a self-controlled type), or
     * {@link WALStorageException}.
     *
     * @param message the message; not modified
     * @return the future of the result, completed on a WAL thread once the durability is reached
     */
    CompletableFuture<AppendResult> appendAsync(MutableMessage message);

    /**
     * Like {@link #appendAsync(MutableMessage)}, failing with {@link java.util.concurrent.TimeoutException} if not
     * acknowledged within {@code timeout} (the message may still be appended: the outcome is then unknown).
     */
    CompletableFuture<AppendResult> appendAsync(MutableMessage message, Duration timeout);

    /**
     * Appends a message and waits for its acknowledgement.
     *
     * @return the result
     * @throws NullPointerException     if {@code message} is null
     * @throws WALException             (or a subclass) as for {@link #appendAsync(MutableMessage)}, unwrapped
     * @throws IllegalArgumentException if the WAL refuses the message
     * @throws WALClosedException       if the calling thread is interrupted while waiting (the interrupt is kept)
     */
    AppendResult append(MutableMessage message);
}
