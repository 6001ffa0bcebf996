package io.wal4j.spi;

import io.wal4j.api.Durability;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import java.util.concurrent.CompletableFuture;

/**
 * One channel of a backend opened by its writer. Thread-safe: {@link #append} is called concurrently.
 */
public interface WALImpls extends ReadOnlyWALImpls {

    /**
     * Stores a message's payload and every property. Never throws: failures complete the future exceptionally.
     *
     * <p>Ids are totally ordered and increase in completion order: if append A completes before append B is called,
     * A's id is smaller. The future completes only once {@code durability} (or more) is reached. A fenced writer
     * completes every append with {@link io.wal4j.api.ChannelFencedException}, forever; a storage failure completes
     * it with {@link io.wal4j.api.WALStorageException}; after {@link #close()}, with
     * {@link io.wal4j.api.WALClosedException}; an unsupported level with {@link IllegalArgumentException}; a message
     * over {@link Capabilities#maxMessageBytes()} with {@link io.wal4j.api.MessageTooLargeException}.
     *
     * @param message    the message; the backend must not keep a reference after the future completes
     * @param durability the level to reach before acknowledging
     * @return the id assigned
     */
    CompletableFuture<MessageId> append(MutableMessage message, Durability durability);

    /**
     * Drops every message up to and including {@code id}. Advisory: a backend may keep more (whole segments, say)
     * and one without {@linkplain Capabilities#truncate() truncation} keeps everything. Never throws.
     *
     * @return completed when done; exceptionally with {@link io.wal4j.api.WALClosedException} after close,
     *     {@link io.wal4j.api.InvalidMessageIdException} for a foreign id, {@link NullPointerException} for null
     */
    CompletableFuture<Void> truncate(MessageId id);
}
