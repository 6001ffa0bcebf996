package io.wal4j.api.message;

/**
 * The position of a message in one backend's log. Ids are totally ordered within a backend and increase in the
 * order appends complete on a channel.
 *
 * <p>Implementations are immutable, thread-safe values with {@code equals}/{@code hashCode} consistent with
 * {@link #compareTo}. Comparing ids of two backends throws {@link IllegalArgumentException}.
 */
public interface MessageId extends Comparable<MessageId> {

    /** @return the name of the backend that assigned this id, as registered ({@code "memory"}, {@code "file"}…) */
    String walName();

    /** @return a compact encoding that {@link MessageIds#unmarshal(String, byte[])} turns back into an equal id */
    byte[] marshal();

    /**
     * @throws IllegalArgumentException if {@code other} belongs to another backend
     * @throws NullPointerException     if {@code other} is null
     */
    @Override
    int compareTo(MessageId other);

    /** @return whether this id is strictly before {@code other}; see {@link #compareTo} for the exceptions */
    default boolean isBefore(MessageId other) {
        return compareTo(other) < 0;
    }

    /** @return a printable form for logs, e.g. {@code memory:42} */
    @Override
    String toString();
}
