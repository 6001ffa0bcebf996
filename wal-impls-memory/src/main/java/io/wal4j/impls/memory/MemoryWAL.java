package io.wal4j.impls.memory;

import io.wal4j.api.Durability;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The writer of one channel of a {@link MemoryStore}. Appends copy the message into the log under the log's lock and
 * complete at once with {@link Durability#MEMORY} (or, while the store {@linkplain
 * MemoryStore#holdAcknowledgements() holds acknowledgements}, when they are released). Truncation drops entries.
 *
 * <p>Thread-safe. Lifetime: owned by its {@link MemoryOpener}; {@link #close()} closes its scanners and wakes their
 * consumers; later calls fail with {@link io.wal4j.api.WALClosedException} (as failed futures for the asynchronous
 * ones). Appends held by the store when the WAL closes stay stored and are acknowledged or dropped by the store.
 * Once fenced by a writer of a higher (or equal, later) term or killed by a simulated crash, appends and truncates
 * fail with that cause forever; reading goes on until a crash.
 */
final class MemoryWAL implements WALImpls {

    private final MemoryWALCore core;
    private final MemoryLog log;
    private final MemoryLog.Writer writer;
    private final long maxMessageBytes;

    MemoryWAL(MemoryWALCore core, MemoryLog log, MemoryLog.Writer writer, long maxMessageBytes) {
        this.core = core;
        this.log = log;
        this.writer = writer;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public String walName() {
        return MemoryOpenerBuilder.NAME;
    }

    @Override
    public PChannelInfo channel() {
        return core.channel();
    }

    @Override
    public ScannerImpls read(ReadOptionImpls option) {
        return core.read(option);
    }

    /**
     * See {@link WALImpls#append}. A null argument fails the future with {@link NullPointerException}; any level
     * other than {@link Durability#MEMORY} with {@link IllegalArgumentException}.
     */
    @Override
    public CompletableFuture<MessageId> append(MutableMessage message, Durability durability) {
        if (message == null) {
            return CompletableFuture.failedFuture(new NullPointerException("message"));
        }
        if (durability == null) {
            return CompletableFuture.failedFuture(new NullPointerException("durability"));
        }
        if (!core.lifetime().tryEnter()) {
            return CompletableFuture.failedFuture(core.closedException());
        }
        try {
            if (!MemoryOpenerBuilder.CAPABILITIES.supports(durability)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("durability " + durability
                        + " is not supported by the memory backend; supported: "
                        + MemoryOpenerBuilder.CAPABILITIES.durabilities()));
            }
            long size = message.estimateSize();
            if (size > maxMessageBytes) {
                return CompletableFuture.failedFuture(new MessageTooLargeException(size, maxMessageBytes));
            }
            // payload() is a fresh copy; the map copy holds immutable strings: together a deep copy.
            return log.append(writer, message.payload(), Map.copyOf(message.properties()));
        } finally {
            core.lifetime().exit();
        }
    }

    /**
     * Drops every acknowledged message up to and including {@code id}; an id past the last acknowledged message
     * truncates them all. Ids keep increasing afterwards; scanners positioned in the dropped range continue at the
     * first retained message.
     */
    @Override
    public CompletableFuture<Void> truncate(MessageId id) {
        if (id == null) {
            return CompletableFuture.failedFuture(new NullPointerException("id"));
        }
        if (!core.lifetime().tryEnter()) {
            return CompletableFuture.failedFuture(core.closedException());
        }
        try {
            long offset = MemoryMessageId.require(id).offset();
            WALException failure = log.truncate(writer, offset);
            return failure == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(failure);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            core.lifetime().exit();
        }
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "MemoryWAL{" + core.channel() + "}";
    }
}
