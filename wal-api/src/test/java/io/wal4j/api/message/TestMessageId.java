package io.wal4j.api.message;

import io.wal4j.api.InvalidMessageIdException;
import java.nio.ByteBuffer;

/** A long id of a fictitious backend, for the API's own tests. */
record TestMessageId(String walName, long value) implements MessageId {

    static final MessageIdCodec CODEC = codec("apitest");

    static MessageIdCodec codec(String walName) {
        return new MessageIdCodec() {
            @Override
            public String walName() {
                return walName;
            }

            @Override
            public MessageId unmarshal(byte[] bytes) {
                if (bytes.length != Long.BYTES) {
                    throw new InvalidMessageIdException("expected 8 bytes, found " + bytes.length);
                }
                return new TestMessageId(walName, ByteBuffer.wrap(bytes).getLong());
            }
        };
    }

    @Override
    public byte[] marshal() {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    @Override
    public int compareTo(MessageId other) {
        if (!(other instanceof TestMessageId id) || !id.walName.equals(walName)) {
            throw new IllegalArgumentException("cannot compare " + this + " with " + other);
        }
        return Long.compare(value, id.value);
    }

    @Override
    public String toString() {
        return walName + ":" + value;
    }
}
