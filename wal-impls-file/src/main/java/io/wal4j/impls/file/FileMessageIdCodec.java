package io.wal4j.impls.file;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageIdCodec;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Decodes {@link FileMessageId#marshal()}: exactly 8 bytes, a big-endian non-negative long. Stateless and
 * thread-safe; listed in {@code META-INF/services/io.wal4j.api.message.MessageIdCodec}.
 */
public final class FileMessageIdCodec implements MessageIdCodec {

    @Override
    public String walName() {
        return FileMessageId.WAL_NAME;
    }

    /**
     * @throws NullPointerException      if {@code bytes} is null
     * @throws InvalidMessageIdException if the bytes are not 8 long or encode a negative number
     */
    @Override
    public FileMessageId unmarshal(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != Long.BYTES) {
            throw new InvalidMessageIdException("a file message id is 8 bytes, got " + bytes.length + " bytes: "
                    + HexFormat.of().formatHex(bytes));
        }
        long sequence = ByteBuffer.wrap(bytes).getLong();
        if (sequence < 0) {
            throw new InvalidMessageIdException("a file message id is >= 0, got " + sequence);
        }
        return FileMessageId.of(sequence);
    }
}
