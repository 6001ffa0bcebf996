package io.wal4j.testkit;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A message id of a backend that does not exist, to check that a backend refuses ids it did not assign. Compares
 * only with its own kind, as {@link io.wal4j.api.message.MessageId#compareTo} requires.
 */
final class ForeignMessageId implements io.wal4j.api.message.MessageId {

    /** The name of the non-existent backend; a valid name no real backend will take. */
    static final String WAL_NAME = "testkit-foreign";

    private final long value;

    ForeignMessageId(long value) {
        this.value = value;
    }

    @Override
    public String walName() {
        return WAL_NAME;
    }

    @Override
    public byte[] marshal() {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    @Override
    public int compareTo(io.wal4j.api.message.MessageId other) {
        Objects.requireNonNull(other, "other");
        if (!(other instanceof ForeignMessageId foreign)) {
            throw new IllegalArgumentException("cannot compare " + this + " with " + other.walName() + " id " + other);
        }
        return Long.compare(value, foreign.value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ForeignMessageId foreign && foreign.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return WAL_NAME + ":" + value;
    }
}
