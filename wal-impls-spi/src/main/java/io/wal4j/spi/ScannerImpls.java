package io.wal4j.spi;

import io.wal4j.api.message.ImmutableMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A backend reader: delivers messages in id order, each rebuilt with {@link ImmutableMessage#of}. At the end of the
 * log it blocks, without busy-polling, until a message arrives or it is closed. {@link #poll} and {@link #take} are
 * for one consuming thread; {@link #close()} and {@link #done()} for any thread.
 */
public interface ScannerImpls extends AutoCloseable {

    /** @return the name given in {@link ReadOptionImpls#name()} */
    String name();

    /**
     * @return the next message, or null when none arrived within {@code timeout}
     * @throws io.wal4j.api.WALClosedException if the scanner is closed, also while waiting
     * @throws io.wal4j.api.WALException       the failure that ended the scanner
     */
    ImmutableMessage poll(Duration timeout);

    /**
     * @return the next message, never null
     * @throws io.wal4j.api.WALClosedException if the scanner is closed, also while waiting, or the thread interrupted
     *     (the interrupt is kept)
     * @throws io.wal4j.api.WALException       the failure that ended the scanner
     */
    ImmutableMessage take();

    /** @return completed when the scanner ends: normally when closed, exceptionally with the failure that ended it */
    CompletableFuture<Void> done();

    /** Stops the scanner and wakes a blocked consumer. Idempotent; never throws. */
    @Override
    void close();
}
