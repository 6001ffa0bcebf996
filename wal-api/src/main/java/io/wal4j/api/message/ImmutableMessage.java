package io.wal4j.api.message;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A message as stored and read back: its id, payload and properties. Immutable and thread-safe; the payload is
 * never exposed mutably.
 *
 * <p>Backends rebuild messages with {@link #of(MessageId, byte[], Map)}. The accessors of reserved properties
 * ({@link #timeTick()}, {@link #lastConfirmedId()}…) are meaningful on messages read through a full WAL.
 */
public sealed class ImmutableMessage permits ImmutableTxnMessage {

    private final MessageId id;
    private final byte[] payload;
    private final Map<String, String> properties;
    private long size = -1; // computed once; a racing recomputation writes the same value

    ImmutableMessage(MessageId id, byte[] payload, Map<String, String> properties) {
        this.id = Objects.requireNonNull(id, "id");
        this.payload = payload;
        this.properties = properties;
    }

    /**
     * Rebuilds a stored message; copies both the payload and the properties.
     *
     * @throws NullPointerException if an argument is null
     */
    public static ImmutableMessage of(MessageId id, byte[] payload, Map<String, String> properties) {
        Objects.requireNonNull(payload, "payload");
        return new ImmutableMessage(id, payload.clone(), Map.copyOf(Objects.requireNonNull(properties, "properties")));
    }

    /** @return the id the backend assigned */
    public MessageId id() {
        return id;
    }

    /** @return a copy of the payload */
    public byte[] payload() {
        return payload.clone();
    }

    /** @return a read-only view of the payload, positioned at 0 */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** @return the payload length in bytes */
    public int payloadSize() {
        return payload.length;
    }

    /** @return every property, reserved ones included; unmodifiable */
    public Map<String, String> properties() {
        return properties;
    }

    /** @return the value of a property, or null */
    public String property(String key) {
        return properties.get(key);
    }

    /** @return the message type; {@link MessageType#DATA} when none is stored */
    public MessageType messageType() {
        String name = properties.get(ReservedProperties.MESSAGE_TYPE);
        return name == null ? MessageType.DATA : MessageType.of(name);
    }

    /** @return the vchannel, or the empty string for a broadcast message */
    public String vchannel() {
        return properties.getOrDefault(ReservedProperties.VCHANNEL, "");
    }

    /** @return whether the WAL stamped a time tick */
    public boolean hasTimeTick() {
        return properties.containsKey(ReservedProperties.TIME_TICK);
    }

    /**
     * @return the time tick the WAL assigned
     * @throws IllegalStateException if the message carries none (it was not written through a full WAL)
     */
    public long timeTick() {
        return Long.parseLong(require(ReservedProperties.TIME_TICK, "time tick"));
    }

    /** @return the writer's term, when stamped */
    public OptionalLong term() {
        String term = properties.get(ReservedProperties.TERM);
        return term == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(term));
    }

    /**
     * @return the id from which a reader must start to see every message with a time tick {@code >=} this one's
     * @throws IllegalStateException if the message carries none
     * @throws io.wal4j.api.InvalidMessageIdException if the stored id cannot be decoded
     */
    public MessageId lastConfirmedId() {
        if (properties.containsKey(ReservedProperties.LAST_CONFIRMED_SELF)) {
            return id;
        }
        return MessageIds.fromText(id.walName(), require(ReservedProperties.LAST_CONFIRMED, "last-confirmed id"));
    }

    /** @return the transaction the message belongs to, if any */
    public Optional<TxnContext> txnContext() {
        String txn = properties.get(ReservedProperties.TXN_CONTEXT);
        return txn == null ? Optional.empty() : Optional.of(TxnContext.decode(txn));
    }

    /** @return whether the message was stored (false for time ticks the WAL delivers without storing) */
    public boolean isPersisted() {
        return !properties.containsKey(ReservedProperties.NOT_PERSISTED);
    }

    /** @return the payload size plus the UTF-8 sizes of every property key and value */
    public long estimateSize() {
        long known = size;
        if (known < 0) {
            known = MessageProperties.estimateSize(payload.length, properties);
            size = known;
        }
        return known;
    }

    private String require(String key, String what) {
        String value = properties.get(key);
        if (value == null) {
            throw new IllegalStateException("message " + id + " carries no " + what
                    + " (property " + key + "); was it written through a full WAL?");
        }
        return value;
    }

    @Override
    public String toString() {
        return "ImmutableMessage{id=" + id + ", type=" + messageType() + ", vchannel=" + vchannel()
                + ", payload=" + payload.length + " bytes, properties=" + properties + "}";
    }
}
