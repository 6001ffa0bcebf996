package io.wal4j.api;

import io.wal4j.api.message.MessageId;
import java.util.Objects;

/**
 * Where a scanner starts. Immutable values; use the static factories.
 *
 * <ul>
 *   <li>{@link #all()}: from the earliest retained message;</li>
 *   <li>{@link #latest()}: only messages appended after the scanner was created;</li>
 *   <li>{@link #startFrom(MessageId)}: from the given id, inclusive;</li>
 *   <li>{@link #startAfter(MessageId)}: after the given id, exclusive.</li>
 * </ul>
 * An id that no longer exists (truncated) or never existed positions the scanner at the first message with a
 * greater id.
 */
public sealed interface DeliverPolicy {

    /** @return the policy that delivers every retained message */
    static DeliverPolicy all() {
        return All.INSTANCE;
    }

    /** @return the policy that delivers only messages appended after the scanner is created */
    static DeliverPolicy latest() {
        return Latest.INSTANCE;
    }

    /**
     * @return the policy that delivers from {@code id} inclusive
     * @throws NullPointerException if {@code id} is null
     */
    static DeliverPolicy startFrom(MessageId id) {
        return new StartFrom(id);
    }

    /**
     * @return the policy that delivers from just after {@code id}
     * @throws NullPointerException if {@code id} is null
     */
    static DeliverPolicy startAfter(MessageId id) {
        return new StartAfter(id);
    }

    /** Every retained message. */
    enum All implements DeliverPolicy {
        /** The only instance. */
        INSTANCE;

        @Override
        public String toString() {
            return "all";
        }
    }

    /** Only messages appended after the scanner was created. */
    enum Latest implements DeliverPolicy {
        /** The only instance. */
        INSTANCE;

        @Override
        public String toString() {
            return "latest";
        }
    }

    /** @param id the first id delivered (inclusive) */
    record StartFrom(MessageId id) implements DeliverPolicy {
        /** @throws NullPointerException if {@code id} is null */
        public StartFrom {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String toString() {
            return "startFrom(" + id + ")";
        }
    }

    /** @param id the id after which delivery starts (exclusive) */
    record StartAfter(MessageId id) implements DeliverPolicy {
        /** @throws NullPointerException if {@code id} is null */
        public StartAfter {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String toString() {
            return "startAfter(" + id + ")";
        }
    }
}
