package io.wal4j.api;

import io.wal4j.api.message.ImmutableMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One reader of a channel: delivers messages in log order to a single consumer. {@link #poll} and {@link #take} are
 * meant for one consuming thread; {@link #close()} and {@link #done()} may be called from any thread. Lives inside
 * its WAL: closing the WAL closes the scanner.
 */
public interface Scanner extends AutoCloseable {

    /** @return the scanner's name */
    String name();

    /** @return the channel it reads */
    PChannelInfo channel();

    /**
     * Waits up to {@code timeout} for the next message.
     *
     * @return the next message, or null if none arrived in time
     * @throws WALClosedException   if the scanner is closed (also when closed while waiting)
     * @throws WALException         the failure that ended the scanner
     * @throws NullPointerException if {@code timeout} is null
     */
    ImmutableMessage poll(Duration timeout);

    /**
     * Waits for the next message.
     *
     * @return the next message, never null
     * @throws WALClosedException if the scanner is closed (also when closed while waiting), or if the thread is
     *     interrupted (the interrupt is kept)
     * @throws WALException       the failure that ended the scanner
     */
    ImmutableMessage take();

    /**
     * @return a future completed when the scanner ends: normally after {@link #close()}, exceptionally with the cause
     *     when it failed
     */
    CompletableFuture<Void> done();

    /** Stops the scanner and releases its resources; wakes a blocked consumer. Idempotent; never throws. */
    @Override
    void close();
}
