package io.wal4j.impls.memory;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIdCodec;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Decodes {@link MemoryMessageId}s from their 8-byte big-endian form. Listed in
 * {@code META-INF/services/io.wal4j.api.message.MessageIdCodec}, so {@code MessageIds.unmarshal("memory", bytes)}
 * works without the backend being opened. Stateless and thread-safe.
 */
public final class MemoryMessageIdCodec implements MessageIdCodec {

    /** Creates the codec; for {@link java.util.ServiceLoader}. */
    public MemoryMessageIdCodec() {
    }

    /** @return {@value MemoryOpenerBuilder#NAME} */
    @Override
    public String walName() {
        return MemoryOpenerBuilder.NAME;
    }

    /**
     * @throws NullPointerException      if {@code bytes} is null
     * @throws InvalidMessageIdException if {@code bytes} is not 8 bytes long or holds a negative offset
     */
    @Override
    public MessageId unmarshal(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != MemoryMessageId.MARSHALLED_LENGTH) {
            throw new InvalidMessageIdException("a memory message id is " + MemoryMessageId.MARSHALLED_LENGTH
                    + " bytes long, found " + bytes.length + " bytes");
        }
        long offset = ByteBuffer.wrap(bytes).getLong();
        if (offset < 0) {
            throw new InvalidMessageIdException("a memory message id holds a non-negative offset, found " + offset);
        }
        return MemoryMessageId.of(offset);
    }
}
