package io.wal4j.adaptor.timetick;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;

import java.util.List;
import java.util.Objects;

/**
 * What a time-tick sync publishes: every tick below {@code timeTick} is resolved, so a time-tick message carrying it
 * promises readers that no later message has a smaller tick. Produced by {@link AckManager#sync()}. Immutable.
 *
 * @param timeTick        the tick of the sync message
 * @param lastConfirmedId the resume point stamped on the sync message
 * @param acknowledged    the messages acknowledged since the previous sync with a tick below {@code timeTick}, in
 *                        time-tick order
 */
public record SyncPoint(long timeTick, MessageId lastConfirmedId, List<ImmutableMessage> acknowledged) {

    /** @throws NullPointerException if the id, the list or an element is null */
    public SyncPoint {
        Objects.requireNonNull(lastConfirmedId, "lastConfirmedId");
        acknowledged = List.copyOf(acknowledged);
    }

    /** @return whether data was acknowledged since the previous sync (the sync message must then be persisted) */
    public boolean hasData() {
        return !acknowledged.isEmpty();
    }
}
