package io.wal4j.impls.kafka;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageId;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The id of a message in the Kafka backend: its offset in the channel's single-partition topic. Offsets grow with
 * every record the partition stores, including the transaction markers the writer's commits leave behind, so the ids
 * a reader sees have gaps; they are still strictly increasing in append-completion order, which is all the SPI asks.
 *
 * <p>Marshalled form: the offset as 8 bytes, big-endian. Printed as {@code kafka:42}. Immutable and thread-safe.
 */
public final class KafkaMessageId implements MessageId {

    /** The length of {@link #marshal()}'s output. */
    static final int MARSHALLED_LENGTH = Long.BYTES;

    private final long offset;

    private KafkaMessageId(long offset) {
        this.offset = offset;
    }

    /**
     * @param offset the offset in the channel's partition, {@code >= 0}
     * @return the id of that offset
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public static KafkaMessageId of(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("a kafka message id is a non-negative offset, got " + offset);
        }
        return new KafkaMessageId(offset);
    }

    /** @return the offset in the channel's partition */
    public long offset() {
        return offset;
    }

    /** @return {@value KafkaOpenerBuilder#NAME} */
    @Override
    public String walName() {
        return KafkaOpenerBuilder.NAME;
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
     * @throws IllegalArgumentException if {@code other} is not an id of the Kafka backend
     */
    @Override
    public int compareTo(MessageId other) {
        Objects.requireNonNull(other, "other");
        if (other instanceof KafkaMessageId kafka) {
            return Long.compare(offset, kafka.offset);
        }
        throw new IllegalArgumentException("cannot compare a kafka message id with " + other + " of backend \""
                + other.walName() + "\" (" + other.getClass().getName() + ")");
    }

    /**
     * @return {@code id} as a Kafka id, for a backend call that received it
     * @throws NullPointerException      if {@code id} is null
     * @throws InvalidMessageIdException if it belongs to another backend
     */
    static KafkaMessageId require(MessageId id) {
        Objects.requireNonNull(id, "id");
        if (id instanceof KafkaMessageId kafka) {
            return kafka;
        }
        throw new InvalidMessageIdException("expected a message id of backend \"" + KafkaOpenerBuilder.NAME
                + "\", got " + id + " of backend \"" + id.walName() + "\" (" + id.getClass().getName() + ")");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaMessageId that && that.offset == offset;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset);
    }

    /** @return {@code kafka:<offset>} */
    @Override
    public String toString() {
        return KafkaOpenerBuilder.NAME + ":" + offset;
    }
}
