package io.wal4j.api;

import io.wal4j.api.message.MessageType;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * A condition a delivered message must meet; the filters of one {@link ReadOption} are AND-combined. Immutable.
 *
 * <p>Time-tick filters are transaction-aware: a transaction's begin and bodies pass, its commit decides (a committed
 * transaction is delivered as one message carrying the commit's time tick). A message-type filter never removes
 * system messages ({@link MessageType#isSystem()}).
 */
public sealed interface DeliverFilter {

    /** @return a filter passing messages whose time tick is {@code > timeTick} */
    static DeliverFilter timeTickGt(long timeTick) {
        return new TimeTickGt(timeTick);
    }

    /** @return a filter passing messages whose time tick is {@code >= timeTick} */
    static DeliverFilter timeTickGte(long timeTick) {
        return new TimeTickGte(timeTick);
    }

    /**
     * @return a filter passing messages of the given types (and every system message)
     * @throws NullPointerException     if {@code types} or one of them is null
     * @throws IllegalArgumentException if no type is given or a system type is listed
     */
    static DeliverFilter messageTypeIn(MessageType... types) {
        Objects.requireNonNull(types, "types");
        return new MessageTypeIn(Set.copyOf(Arrays.asList(types)));
    }

    /** @param timeTick the exclusive lower bound */
    record TimeTickGt(long timeTick) implements DeliverFilter {
    }

    /** @param timeTick the inclusive lower bound */
    record TimeTickGte(long timeTick) implements DeliverFilter {
    }

    /** @param types the user types delivered; never empty, never a system type */
    record MessageTypeIn(Set<MessageType> types) implements DeliverFilter {
        /**
         * @throws NullPointerException     if {@code types} or an element is null
         * @throws IllegalArgumentException if empty or listing a system type
         */
        public MessageTypeIn {
            types = Set.copyOf(types);
            if (types.isEmpty()) {
                throw new IllegalArgumentException("a message-type filter needs at least one type");
            }
            for (MessageType type : types) {
                if (type.isSystem()) {
                    throw new IllegalArgumentException("system message type " + type.name()
                            + " cannot be filtered: system messages are always delivered");
                }
            }
        }
    }
}
