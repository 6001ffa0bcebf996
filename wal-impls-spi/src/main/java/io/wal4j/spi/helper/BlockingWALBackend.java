package io.wal4j.spi.helper;

import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import java.io.IOException;

/**
 * One channel of a backend whose writes naturally block (a file written and forced in the calling thread, a
 * synchronous client). {@link BlockingWALImpls} runs it on a bounded executor and turns it into an asynchronous
 * {@link io.wal4j.spi.WALImpls}; the backend author writes only the blocking storage code.
 *
 * <p><b>Threads.</b> {@link #append} and {@link #truncate} are called from the adapter's worker threads: one at a time
 * when the adapter has one thread (the default), concurrently otherwise. {@link #read} is called from the caller's
 * thread. {@link #close()} is called exactly once, after every admitted append and truncate has returned (or, when
 * the adapter's close timed out, after interrupting the ones still running).
 */
public interface BlockingWALBackend {

    /** @return the backend's name, as registered; the {@code walName} of its ids */
    String walName();

    /** @return the channel as opened */
    PChannelInfo channel();

    /**
     * Stores the message and returns once {@code durability} is reached.
     *
     * @param message    the message; not kept after returning
     * @param durability the level to reach before returning
     * @return the id assigned, never null; ids increase in the order appends return
     * @throws IOException if the storage failed; the adapter reports it as {@link io.wal4j.api.WALStorageException}
     * @throws io.wal4j.api.WALException   for wal4j failures ({@link io.wal4j.api.ChannelFencedException}…), passed on
     *                                     unchanged
     * @throws IllegalArgumentException    for an unsupported durability level
     */
    MessageId append(MutableMessage message, Durability durability) throws IOException;

    /**
     * Drops messages up to and including {@code id}; advisory. The default keeps everything.
     *
     * @param id the last id to drop
     * @throws IOException if the storage failed
     */
    default void truncate(MessageId id) throws IOException {
    }

    /**
     * Creates a scanner; the adapter closes it when it closes, if it has not ended by then.
     *
     * @param option where and how to read
     * @return a new scanner owned by the adapter's caller
     * @throws io.wal4j.api.InvalidMessageIdException if the policy's id belongs to another backend
     */
    ScannerImpls read(ReadOptionImpls option);

    /**
     * Releases the channel's resources. Called once by the adapter. The default does nothing.
     *
     * @throws IOException if releasing failed; the adapter logs it
     */
    default void close() throws IOException {
    }
}
