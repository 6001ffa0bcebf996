package io.wal4j.impls.kafka;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIdCodec;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Decodes {@link KafkaMessageId}s from their 8-byte big-endian form. Listed in
 * {@code META-INF/services/io.wal4j.api.message.MessageIdCodec}, so {@code MessageIds.unmarshal("kafka", bytes)}
 * works without a cluster. Stateless and thread-safe.
 */
public final class KafkaMessageIdCodec implements MessageIdCodec {

    /** Creates the codec; for {@link java.util.ServiceLoader}. */
    public KafkaMessageIdCodec() {
    }

    /** @return {@value KafkaOpenerBuilder#NAME} */
    @Override
    public String walName() {
        return KafkaOpenerBuilder.NAME;
    }

    /**
     * @throws NullPointerException      if {@code bytes} is null
     * @throws InvalidMessageIdException if {@code bytes} is not 8 bytes long or holds a negative offset
     */
    @Override
    public MessageId unmarshal(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != KafkaMessageId.MARSHALLED_LENGTH) {
            throw new InvalidMessageIdException("a kafka message id is " + KafkaMessageId.MARSHALLED_LENGTH
                    + " bytes long, found " + bytes.length + " bytes");
        }
        long offset = ByteBuffer.wrap(bytes).getLong();
        if (offset < 0) {
            throw new InvalidMessageIdException("a kafka message id holds a non-negative offset, found " + offset);
        }
        return KafkaMessageId.of(offset);
    }
}
