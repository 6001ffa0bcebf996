package io.wal4j.spi;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIdCodec;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A message id for the SPI's tests: a backend name and a counter. */
public record TestMessageId(String walName, long value) implements MessageId {

    public TestMessageId {
        Objects.requireNonNull(walName, "walName");
    }

    @Override
    public byte[] marshal() {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int compareTo(MessageId other) {
        Objects.requireNonNull(other, "other");
        if (!(other instanceof TestMessageId o) || !o.walName.equals(walName)) {
            throw new IllegalArgumentException("cannot compare " + this + " with " + other);
        }
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return walName + ":" + value;
    }

    /** The codec of {@link TestMessageId}s of one backend name; one class for every name, so never in conflict. */
    public record Codec(String walName) implements MessageIdCodec {
        @Override
        public MessageId unmarshal(byte[] bytes) {
            try {
                return new TestMessageId(walName, Long.parseLong(new String(bytes, StandardCharsets.US_ASCII)));
            } catch (NumberFormatException e) {
                throw new InvalidMessageIdException("not a test id of " + walName, e);
            }
        }
    }
}
