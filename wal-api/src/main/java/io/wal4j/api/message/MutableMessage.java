package io.wal4j.api.message;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message on its way into a WAL: payload, properties, type and vchannel, built by the application, then stamped
 * by the WAL with reserved properties (time tick, term, last-confirmed id…) before it reaches the backend.
 *
 * <p><b>Ownership.</b> Not thread-safe. The payload is copied at build time and never exposed mutably. The WAL
 * works on its own {@link #copy()}, so an application may append the same instance several times. The
 * {@code with…} stamping methods are for the WAL and interceptors; an application has no reason to call them.
 */
public final class MutableMessage {

    private final byte[] payload;
    private final Map<String, String> properties;
    private long size = -1; // estimateSize(), until the next change of the properties

    private MutableMessage(byte[] payload, Map<String, String> properties) {
        this.payload = payload;
        this.properties = properties;
    }

    /** @return a builder with an empty payload, no property, type {@link MessageType#DATA}, no vchannel */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** @return a copy sharing the (immutable) payload and owning its own property map */
    public MutableMessage copy() {
        return new MutableMessage(payload, new LinkedHashMap<>(properties));
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

    /** @return every property, reserved ones included, as an unmodifiable live view */
    public Map<String, String> properties() {
        return Collections.unmodifiableMap(properties);
    }

    /** @return the value of a property, or null */
    public String property(String key) {
        return properties.get(key);
    }

    /** @return the message type; {@link MessageType#DATA} when none was set */
    public MessageType messageType() {
        String name = properties.get(ReservedProperties.MESSAGE_TYPE);
        return name == null ? MessageType.DATA : MessageType.of(name);
    }

    /** @return the vchannel, or the empty string for a message broadcast to every vchannel */
    public String vchannel() {
        return properties.getOrDefault(ReservedProperties.VCHANNEL, "");
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

    /** Stamps the time tick. For the WAL. @return this */
    public MutableMessage withTimeTick(long timeTick) {
        size = -1;
        properties.put(ReservedProperties.TIME_TICK, Long.toString(timeTick));
        return this;
    }

    /** Stamps the writer's term. For the WAL. @return this */
    public MutableMessage withTerm(long term) {
        size = -1;
        properties.put(ReservedProperties.TERM, Long.toString(term));
        return this;
    }

    /** Stamps the last-confirmed id. For the WAL. @return this */
    public MutableMessage withLastConfirmed(MessageId id) {
        size = -1;
        properties.remove(ReservedProperties.LAST_CONFIRMED_SELF);
        properties.put(ReservedProperties.LAST_CONFIRMED, MessageIds.toText(id));
        return this;
    }

    /** Marks the message as its own last-confirmed id. For the WAL. @return this */
    public MutableMessage withLastConfirmedSelf() {
        size = -1;
        properties.remove(ReservedProperties.LAST_CONFIRMED);
        properties.put(ReservedProperties.LAST_CONFIRMED_SELF, "1");
        return this;
    }

    /** Stamps the transaction context. For the WAL. @return this */
    public MutableMessage withTxnContext(TxnContext txn) {
        size = -1;
        properties.put(ReservedProperties.TXN_CONTEXT, txn.encode());
        return this;
    }

    /** Marks the message as delivered to scanners but never stored. For the WAL. @return this */
    public MutableMessage withNotPersisted() {
        size = -1;
        properties.put(ReservedProperties.NOT_PERSISTED, "1");
        return this;
    }

    /**
     * Sets any reserved property. For the WAL and interceptors.
     *
     * @return this
     * @throws IllegalArgumentException if {@code key} is not reserved
     */
    public MutableMessage withReservedProperty(String key, String value) {
        if (!ReservedProperties.isReserved(key)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a reserved property key");
        }
        size = -1;
        properties.put(key, Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * @return the message as stored under {@code id}
     * @throws NullPointerException if {@code id} is null
     */
    public ImmutableMessage toImmutable(MessageId id) {
        // The payload is never written after the builder copied it, so the two messages may share it.
        return new ImmutableMessage(id, payload, Map.copyOf(properties));
    }

    @Override
    public String toString() {
        return "MutableMessage{type=" + messageType() + ", vchannel=" + vchannel() + ", payload=" + payload.length
                + " bytes, properties=" + properties + "}";
    }

    /** Builds a {@link MutableMessage}. Not thread-safe; may build several messages. */
    public static final class Builder {
        private byte[] payload = new byte[0];
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /** Copies {@code payload}. @throws NullPointerException if it is null */
        public Builder payload(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload").clone();
            return this;
        }

        /**
         * Adds an application property.
         *
         * @throws NullPointerException     if the key or value is null
         * @throws IllegalArgumentException if the key is empty or starts with {@code _}
         */
        public Builder property(String key, String value) {
            MessageProperties.checkUserProperty(key, value);
            properties.put(key, value);
            return this;
        }

        /** Adds every entry of {@code props}; see {@link #property} for the exceptions. */
        public Builder properties(Map<String, String> props) {
            Objects.requireNonNull(props, "properties").forEach(this::property);
            return this;
        }

        /** @throws NullPointerException if {@code type} is null */
        public Builder messageType(MessageType type) {
            properties.put(ReservedProperties.MESSAGE_TYPE, Objects.requireNonNull(type, "messageType").name());
            return this;
        }

        /**
         * @param vchannel the vchannel, or the empty string to broadcast to every vchannel
         * @throws NullPointerException if {@code vchannel} is null
         */
        public Builder vchannel(String vchannel) {
            Objects.requireNonNull(vchannel, "vchannel");
            if (vchannel.isEmpty()) {
                properties.remove(ReservedProperties.VCHANNEL);
            } else {
                properties.put(ReservedProperties.VCHANNEL, vchannel);
            }
            return this;
        }

        /** @return a new message; the builder may be reused */
        public MutableMessage build() {
            return new MutableMessage(payload, new LinkedHashMap<>(properties));
        }
    }
}
