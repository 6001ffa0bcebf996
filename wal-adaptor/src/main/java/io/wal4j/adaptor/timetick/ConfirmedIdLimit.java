package io.wal4j.adaptor.timetick;

import io.wal4j.api.message.MessageId;

import java.util.Optional;

/**
 * A bound on how far the last-confirmed id of a channel may advance. It is the hook transactions need (Milvus
 * reference §3.6): the last-confirmed id must never move past the begin of a transaction that is still open, or a
 * reader resuming from it would miss the transaction's begin and body. {@link AckManager} consults it whenever the id
 * could advance; whoever owns the bound calls {@link AckManager#recheckConfirmedIdLimit()} when it is lifted.
 *
 * <p>Implementations are thread-safe, fast, and must not call back into the {@link AckManager} (they run under its
 * lock).
 */
@FunctionalInterface
public interface ConfirmedIdLimit {

    /** No bound: the id advances as far as the acknowledgements allow. */
    ConfirmedIdLimit NONE = Optional::empty;

    /** @return the largest id the last-confirmed id may take now, or empty for no bound */
    Optional<MessageId> limit();
}
