package io.wal4j.impls.memory;

import io.wal4j.api.Durability;
import io.wal4j.api.WALException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.helper.ChannelWAL;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The storage half of a memory writer, inside a {@link ChannelWAL} (which checks the arguments, the level, the
 * configured size limit and the lifetime first). Appends copy the message into the log under the log's lock and
 * complete at once with {@link Durability#MEMORY} (or, while the store {@linkplain
 * MemoryStore#holdAcknowledgements() holds acknowledgements}, when they are released). Truncation drops entries.
 *
 * <p>Thread-safe. Appends held by the store when the WAL closes stay stored and are acknowledged or dropped by the
 * store. Once fenced by a writer of a higher (or equal, later) term or killed by a simulated crash, appends and
 * truncates fail with that cause forever; reading goes on until a crash.
 */
final class MemoryWrites implements ChannelWAL.Writes {

    private final MemoryLog log;
    private final MemoryLog.Writer writer;

    MemoryWrites(MemoryLog log, MemoryLog.Writer writer) {
        this.log = log;
        this.writer = writer;
    }

    @Override
    public CompletableFuture<MessageId> append(MutableMessage message, long size) {
        // payload() is a fresh copy; the map copy holds immutable strings: together a deep copy.
        return log.append(writer, message.payload(), Map.copyOf(message.properties()));
    }

    /**
     * Drops every acknowledged message up to and including {@code id}; an id past the last acknowledged message
     * truncates them all. Ids keep increasing afterwards; scanners positioned in the dropped range continue at the
     * first retained message.
     */
    @Override
    public CompletableFuture<Void> truncate(MessageId id) {
        WALException failure = log.truncate(writer, MemoryMessageId.require(id).offset());
        return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
    }
}
