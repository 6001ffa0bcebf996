package io.wal4j.impls.memory;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageId;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The id of a message in the in-memory backend: its offset in the channel's log, starting at 0 and growing by one
 * per stored message. Truncation never reuses an offset; a {@linkplain MemoryStore#simulateCrash() simulated crash}
 * reuses the offsets of the messages it dropped, which nobody saw acknowledged.
 *
 * <p>Marshalled form: the offset as 8 bytes, big-endian. Printed as {@code memory:42}. Immutable and thread-safe.
 */
public final class MemoryMessageId implements MessageId {

    /** The length of {@link #marshal()}'s output. */
    static final int MARSHALLED_LENGTH = Long.BYTES;

    private final long offset;

    private MemoryMessageId(long offset) {
        this.offset = offset;
    }

    /**
     * @param offset the offset in the channel's log, {@code >= 0}
     * @return the id of that offset
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public static MemoryMessageId of(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("a memory message id is a non-negative offset, got " + offset);
        }
        return new MemoryMessageId(offset);
    }

    /** @return the offset in the channel's log */
    public long offset() {
        return offset;
    }

    /** @return {@value MemoryOpenerBuilder#NAME} */
    @Override
    public String walName() {
        return MemoryOpenerBuilder.NAME;
    }

    /** @return the offset as 8 bytes, big-endian */
    @Override
    public byte[] marshal() {
        return ByteBuffer.allocate(MARSHALLED_LENGTH).putLong(offset).array();
    }

    /**
     * Orders by offset.
     *
     * @throws NullPointerException     if {@code other} is null
     * @throws IllegalArgumentException if {@code other} is not an id of the memory backend
     */
    @Override
    public int compareTo(MessageId other) {
        return Long.compare(offset, cast(other).offset);
    }

    /**
     * @return {@code id} as a memory id
     * @throws NullPointerException     if {@code id} is null
     * @throws IllegalArgumentException if it belongs to another backend
     */
    static MemoryMessageId cast(MessageId id) {
        Objects.requireNonNull(id, "id");
        if (id instanceof MemoryMessageId memory) {
            return memory;
        }
        throw new IllegalArgumentException("cannot compare a memory message id with " + id + " of backend \""
                + id.walName() + "\" (" + id.getClass().getName() + ")");
    }

    /**
     * @return {@code id} as a memory id, for a backend call that received it
     * @throws NullPointerException      if {@code id} is null
     * @throws InvalidMessageIdException if it belongs to another backend
     */
    static MemoryMessageId require(MessageId id) {
        Objects.requireNonNull(id, "id");
        if (id instanceof MemoryMessageId memory) {
            return memory;
        }
        throw new InvalidMessageIdException("expected a message id of backend \"" + MemoryOpenerBuilder.NAME
                + "\", got " + id + " of backend \"" + id.walName() + "\" (" + id.getClass().getName() + ")");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MemoryMessageId that && that.offset == offset;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset);
    }

    /** @return {@code memory:<offset>} */
    @Override
    public String toString() {
        return MemoryOpenerBuilder.NAME + ":" + offset;
    }
}
