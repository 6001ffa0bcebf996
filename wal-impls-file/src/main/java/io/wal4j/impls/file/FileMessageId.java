package io.wal4j.impls.file;

import io.wal4j.api.message.MessageId;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The id of a message in the file backend: its sequence number in the channel's log. Ids are dense (each append
 * takes the next number), start at 0, increase in append order and survive reopening. Marshalled as 8 bytes
 * big-endian; printed as {@code file:42}. Immutable and thread-safe.
 */
public final class FileMessageId implements MessageId {

    /** The backend name carried by every id. */
    public static final String WAL_NAME = "file";

    private final long sequence;

    private FileMessageId(long sequence) {
        this.sequence = sequence;
    }

    /**
     * @param sequence the sequence number, {@code >= 0}
     * @return the id
     * @throws IllegalArgumentException if {@code sequence} is negative
     */
    public static FileMessageId of(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("file message id must be >= 0, got " + sequence);
        }
        return new FileMessageId(sequence);
    }

    /** @return the sequence number */
    public long sequence() {
        return sequence;
    }

    @Override
    public String walName() {
        return WAL_NAME;
    }

    @Override
    public byte[] marshal() {
        return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
    }

    @Override
    public int compareTo(MessageId other) {
        Objects.requireNonNull(other, "other");
        if (!(other instanceof FileMessageId id)) {
            throw new IllegalArgumentException("cannot compare " + this + " with " + other + " of backend "
                    + other.walName());
        }
        return Long.compare(sequence, id.sequence);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FileMessageId id && id.sequence == sequence;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence);
    }

    @Override
    public String toString() {
        return WAL_NAME + ":" + sequence;
    }
}
