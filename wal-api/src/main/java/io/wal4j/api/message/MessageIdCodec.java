package io.wal4j.api.message;

/**
 * Turns a backend's marshalled ids back into {@link MessageId}s. Each backend supplies one with its builder and
 * may also list it in {@code META-INF/services/io.wal4j.api.message.MessageIdCodec}. Implementations are stateless
 * and thread-safe.
 */
public interface MessageIdCodec {

    /** @return the backend name this codec decodes, equal to {@link MessageId#walName()} of its ids */
    String walName();

    /**
     * @param bytes the output of {@link MessageId#marshal()}; not modified
     * @return the id
     * @throws io.wal4j.api.InvalidMessageIdException if the bytes are not a valid id of this backend
     */
    MessageId unmarshal(byte[] bytes);
}
