package io.wal4j.adaptor.timetick;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;

/**
 * One allocated time tick awaiting the outcome of its append. Created by {@link AckManager#allocate()}; resolved
 * exactly once by {@link AckManager#ack} or {@link AckManager#fail}. Its state is guarded by the manager's lock; the
 * tick and the resume point are immutable and may be read from any thread.
 */
public final class Acker {

    private final long timeTick;
    private final MessageId lastConfirmedId;
    private boolean resolved;
    private long endTimeTick;
    private ImmutableMessage acknowledged;

    Acker(long timeTick, MessageId lastConfirmedId) {
        this.timeTick = timeTick;
        this.lastConfirmedId = lastConfirmedId;
    }

    /** @return the allocated tick */
    public long timeTick() {
        return timeTick;
    }

    /** @return the last-confirmed id when the tick was allocated: the message's resume point */
    public MessageId lastConfirmedId() {
        return lastConfirmedId;
    }

    boolean isResolved() {
        return resolved;
    }

    /** @return the newest tick allocated when this acker was resolved */
    long endTimeTick() {
        return endTimeTick;
    }

    /** @return the stored message, or null when the append failed or was a sync */
    ImmutableMessage acknowledged() {
        return acknowledged;
    }

    void resolve(long endTimeTick, ImmutableMessage acknowledged) {
        if (resolved) {
            throw new IllegalStateException("time tick " + timeTick + " was already acknowledged");
        }
        this.resolved = true;
        this.endTimeTick = endTimeTick;
        this.acknowledged = acknowledged;
    }
}
