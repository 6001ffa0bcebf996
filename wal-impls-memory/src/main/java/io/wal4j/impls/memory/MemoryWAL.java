package io.wal4j.impls.memory;

import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.spi.helper.ChannelCore;
import io.wal4j.spi.helper.PullScanner;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The writer of one channel of a {@link MemoryStore}. Appends copy the message into the log under the log's lock and
 * complete at once with {@link Durability#MEMORY} (or, while the store {@linkplain
 * MemoryStore#holdAcknowledgements() holds acknowledgements}, when they are released). Truncation drops entries.
 * Reading, the lifetime and closing are its {@link ChannelCore}'s.
 *
 * <p>Thread-safe. Lifetime: owned by its {@link MemoryOpener}; {@link #close()} closes its scanners and wakes their
 * consumers; later calls fail with {@link io.wal4j.api.WALClosedException} (as failed futures for the asynchronous
 * ones). Appends held by the store when the WAL closes stay stored and are acknowledged or dropped by the store.
 * Once fenced by a writer of a higher (or equal, later) term or killed by a simulated crash, appends and truncates
 * fail with that cause forever; reading goes on until a crash.
 */
final class MemoryWAL implements WALImpls {

    private final ChannelCore<PullScanner> core;
    private final MemoryLog log;
    private final MemoryLog.Writer writer;
    private final Capabilities capabilities;

    /** @param capabilities the opener's: the supported levels and the configured size limit */
    MemoryWAL(ChannelCore<PullScanner> core, MemoryLog log, MemoryLog.Writer writer, Capabilities capabilities) {
        this.core = core;
        this.log = log;
        this.writer = writer;
        this.capabilities = capabilities;
    }

    @Override
    public String walName() {
        return core.walName();
    }

    @Override
    public PChannelInfo channel() {
        return core.channel();
    }

    @Override
    public ScannerImpls read(ReadOptionImpls option) {
        return core.read(option);
    }

    /** O(1): the last acknowledged entry of the log, without a scanner. */
    @Override
    public Optional<ImmutableMessage> readLast() {
        return core.readLast();
    }

    /**
     * See {@link WALImpls#append}. A null argument fails the future with {@link NullPointerException}; any level
     * other than {@link Durability#MEMORY} with {@link IllegalArgumentException}; a message above the opener's
     * {@code wal.memory.max-message-bytes} with {@link io.wal4j.api.MessageTooLargeException}.
     */
    @Override
    public CompletableFuture<MessageId> append(MutableMessage message, Durability durability) {
        // payload() is a fresh copy; the map copy holds immutable strings: together a deep copy.
        return core.append(message, durability, capabilities,
                (checked, size) -> log.append(writer, checked.payload(), Map.copyOf(checked.properties())));
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
        return core.guardAsync(() -> {
            WALException failure = log.truncate(writer, MemoryMessageId.require(id).offset());
            return failure == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(failure);
        });
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
