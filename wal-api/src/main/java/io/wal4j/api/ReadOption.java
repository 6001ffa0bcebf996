package io.wal4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a scanner reads: its name, where it starts, which messages it delivers and how far it may read ahead.
 * Immutable and thread-safe; build with {@link #newBuilder()}.
 */
public final class ReadOption {

    /** The read-ahead used when none is set: how many messages a scanner may buffer before its consumer takes them. */
    public static final int DEFAULT_READ_AHEAD = 128;

    private final String name;
    private final DeliverPolicy deliverPolicy;
    private final List<DeliverFilter> filters;
    private final String vchannel;
    private final int readAhead;

    private ReadOption(Builder builder) {
        this.name = builder.name;
        this.deliverPolicy = builder.deliverPolicy;
        this.filters = List.copyOf(builder.filters);
        this.vchannel = builder.vchannel;
        this.readAhead = builder.readAhead;
    }

    /** @return a builder with policy {@link DeliverPolicy#all()}, no filter, no vchannel, the default read-ahead */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** @return the option that reads every retained message with defaults for everything else */
    public static ReadOption all() {
        return newBuilder().build();
    }

    /** @return the scanner name; empty when the WAL should allocate a unique one */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** @return where the scanner starts */
    public DeliverPolicy deliverPolicy() {
        return deliverPolicy;
    }

    /** @return the AND-combined filters, possibly empty */
    public List<DeliverFilter> filters() {
        return filters;
    }

    /**
     * @return the vchannel whose messages are delivered (broadcast messages, whose vchannel is empty, are delivered
     *     too); empty to deliver every vchannel
     */
    public Optional<String> vchannel() {
        return Optional.ofNullable(vchannel);
    }

    /** @return how many messages the scanner may buffer ahead of its consumer, {@code >= 1} */
    public int readAhead() {
        return readAhead;
    }

    @Override
    public String toString() {
        return "ReadOption{name=" + name + ", policy=" + deliverPolicy + ", filters=" + filters
                + ", vchannel=" + vchannel + ", readAhead=" + readAhead + "}";
    }

    /** Builds a {@link ReadOption}. Not thread-safe. */
    public static final class Builder {
        private String name;
        private DeliverPolicy deliverPolicy = DeliverPolicy.all();
        private final List<DeliverFilter> filters = new ArrayList<>();
        private String vchannel;
        private int readAhead = DEFAULT_READ_AHEAD;

        private Builder() {
        }

        /**
         * @param name a name unique among the WAL's scanners, used in logs and metrics
         * @throws NullPointerException     if {@code name} is null
         * @throws IllegalArgumentException if it is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("scanner name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** @throws NullPointerException if {@code policy} is null */
        public Builder deliverPolicy(DeliverPolicy policy) {
            this.deliverPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Adds a filter, AND-combined with the others. @throws NullPointerException if {@code filter} is null */
        public Builder filter(DeliverFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * @param vchannel the only vchannel delivered (plus broadcast messages)
         * @throws NullPointerException     if {@code vchannel} is null
         * @throws IllegalArgumentException if it is empty
         */
        public Builder vchannel(String vchannel) {
            Objects.requireNonNull(vchannel, "vchannel");
            if (vchannel.isEmpty()) {
                throw new IllegalArgumentException("vchannel must not be empty; omit it to read every vchannel");
            }
            this.vchannel = vchannel;
            return this;
        }

        /** @throws IllegalArgumentException if {@code messages < 1} */
        public Builder readAhead(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("readAhead must be >= 1, got " + messages);
            }
            this.readAhead = messages;
            return this;
        }

        /** @return the option */
        public ReadOption build() {
            return new ReadOption(this);
        }
    }
}
