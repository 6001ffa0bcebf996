package io.wal4j.api.message;

import java.util.List;
import java.util.Objects;

/**
 * A committed transaction delivered as one message. Its id, time tick and properties are those of the commit; every
 * body carries the commit's time tick. Rolled-back or expired transactions are never delivered. Immutable and
 * thread-safe.
 */
public final class ImmutableTxnMessage extends ImmutableMessage {

    private final ImmutableMessage begin;
    private final List<ImmutableMessage> bodies;
    private final ImmutableMessage commit;

    private ImmutableTxnMessage(ImmutableMessage begin, List<ImmutableMessage> bodies, ImmutableMessage commit) {
        super(commit.id(), new byte[0], commit.properties());
        this.begin = begin;
        this.bodies = bodies;
        this.commit = commit;
    }

    /**
     * @throws NullPointerException if an argument or a body is null
     */
    public static ImmutableTxnMessage of(ImmutableMessage begin, List<ImmutableMessage> bodies,
                                         ImmutableMessage commit) {
        return new ImmutableTxnMessage(Objects.requireNonNull(begin, "begin"), List.copyOf(bodies),
                Objects.requireNonNull(commit, "commit"));
    }

    /** @return {@link MessageType#TXN} */
    @Override
    public MessageType messageType() {
        return MessageType.TXN;
    }

    /** @return the message that opened the transaction */
    public ImmutableMessage begin() {
        return begin;
    }

    /** @return the bodies in append order */
    public List<ImmutableMessage> bodies() {
        return bodies;
    }

    /** @return the message that committed the transaction */
    public ImmutableMessage commit() {
        return commit;
    }

    /** @return the number of bodies */
    public int size() {
        return bodies.size();
    }
}
