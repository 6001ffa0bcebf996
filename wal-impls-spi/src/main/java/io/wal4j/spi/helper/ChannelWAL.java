package io.wal4j.spi.helper;

import io.wal4j.api.Durability;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A ready-made read-write {@link WALImpls}: a {@link ChannelCore} for reading, the lifetime and closing, plus the
 * backend's {@link Writes}. It does the checks every backend repeats, in the order {@link WALImpls} documents, and
 * turns every refusal into a failed future: {@link NullPointerException} for a null argument,
 * {@link WALClosedException} once closed, {@link IllegalArgumentException} for a durability level the capabilities
 * lack, {@link MessageTooLargeException} above {@link Capabilities#maxMessageBytes()}, and any
 * {@link RuntimeException} the writes throw (an invalid id, say). Writes run inside the core's guard, so closing the
 * WAL waits for them, and nothing reaches the storage after close.
 *
 * <p>Thread-safe if the writes are. Lifetime: that of its core; {@link #close()} closes the core (whose
 * {@code release} hook is the place for a writer to drain).
 */
public final class ChannelWAL implements WALImpls {

    /** The storage half of a read-write WAL; each method is called inside the core's guard. */
    public interface Writes {

        /**
         * Stores a checked message.
         *
         * @param message the message, non-null, at most the size limit
         * @param size    its {@link MutableMessage#estimateSize()}
         * @return the future of its id
         */
        CompletableFuture<MessageId> append(MutableMessage message, long size);

        /**
         * Drops every message up to and including {@code id}; see {@link WALImpls#truncate}.
         *
         * @param id non-null
         * @throws io.wal4j.api.InvalidMessageIdException if the id belongs to another backend (becomes a failed
         *                                                future)
         */
        CompletableFuture<Void> truncate(MessageId id);
    }

    private final ChannelCore<?> core;
    private final Capabilities capabilities;
    private final Writes writes;

    /**
     * @param core         the channel's reading, lifetime and close sequence
     * @param capabilities the opener's capabilities: the levels and the size limit enforced
     * @param writes       the backend's storage
     * @throws NullPointerException if an argument is null
     */
    public ChannelWAL(ChannelCore<?> core, Capabilities capabilities, Writes writes) {
        this.core = Objects.requireNonNull(core, "core");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.writes = Objects.requireNonNull(writes, "writes");
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

    @Override
    public Optional<ImmutableMessage> readLast() {
        return core.readLast();
    }

    /** See the class comment for the checks. */
    @Override
    public CompletableFuture<MessageId> append(MutableMessage message, Durability durability) {
        if (message == null) {
            return CompletableFuture.failedFuture(new NullPointerException("message"));
        }
        if (durability == null) {
            return CompletableFuture.failedFuture(new NullPointerException("durability"));
        }
        return core.guardAsync(() -> {
            if (!capabilities.supports(durability)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("durability " + durability
                        + " is not supported by the " + core.walName() + " backend; supported: "
                        + capabilities.durabilities()));
            }
            long size = message.estimateSize();
            if (size > capabilities.maxMessageBytes()) {
                return CompletableFuture.failedFuture(new MessageTooLargeException(size,
                        capabilities.maxMessageBytes()));
            }
            return writes.append(message, size);
        });
    }

    /** See the class comment for the checks. */
    @Override
    public CompletableFuture<Void> truncate(MessageId id) {
        if (id == null) {
            return CompletableFuture.failedFuture(new NullPointerException("id"));
        }
        return core.guardAsync(() -> writes.truncate(id));
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "ChannelWAL{" + core.walName() + " " + core.channel() + "}";
    }
}
