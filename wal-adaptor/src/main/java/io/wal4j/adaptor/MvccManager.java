package io.wal4j.adaptor;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;

import java.util.HashMap;
import java.util.Map;

/**
 * Read-your-writes timestamps per vchannel (Milvus reference §3.7). Keeps the channel's MVCC time tick (the last
 * time tick that went through the chain, initially the first one) and, per vchannel, the largest tick of a visible
 * message acknowledged since: a plain message or a commit (an uncommitted transaction's begin and bodies are
 * invisible). Broadcast messages count for every vchannel (key {@code ""}). A time tick confirms every entry at or
 * below it.
 *
 * <p>Thread-safe (synchronized; each call is O(vchannels touched since the last time tick)). Lives as long as its WAL.
 */
final class MvccManager {

    /** The answer to {@link #latest}: a time tick and whether a published time tick confirms it already. */
    record Mvcc(long timeTick, boolean confirmed) {
    }

    private final Map<String, Long> unconfirmed = new HashMap<>();
    private long channelMvcc;

    MvccManager(long firstTimeTick) {
        this.channelMvcc = firstTimeTick;
    }

    /** Observes a message acknowledged (or a time tick published) through the chain. */
    synchronized void update(ImmutableMessage message) {
        if (!message.hasTimeTick()) {
            return;
        }
        long tick = message.timeTick();
        if (tick <= channelMvcc) {
            return;
        }
        MessageType type = message.messageType();
        if (type.equals(MessageType.TIME_TICK)) {
            unconfirmed.values().removeIf(t -> t <= tick);
            channelMvcc = tick;
            return;
        }
        boolean invisible = type.equals(MessageType.BEGIN_TXN) || type.equals(MessageType.ROLLBACK_TXN)
                || (!type.equals(MessageType.COMMIT_TXN) && message.txnContext().isPresent());
        if (invisible) {
            return;
        }
        unconfirmed.merge(message.vchannel(), tick, Math::max);
    }

    /** @return the MVCC time tick of {@code vchannel} ({@code ""}: the whole channel) */
    synchronized Mvcc latest(String vchannel) {
        Long own;
        if (vchannel.isEmpty()) {
            own = unconfirmed.values().stream().max(Long::compare).orElse(null);
        } else {
            Long mine = unconfirmed.get(vchannel);
            Long broadcast = unconfirmed.get("");
            own = mine == null ? broadcast : broadcast == null ? mine : Long.valueOf(Math.max(mine, broadcast));
        }
        return own == null ? new Mvcc(channelMvcc, true) : new Mvcc(own, false);
    }
}
