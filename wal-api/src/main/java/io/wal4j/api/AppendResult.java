package io.wal4j.api;

import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.TxnContext;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an acknowledged append. Immutable and thread-safe.
 *
 * @param messageId  the id the backend assigned
 * @param timeTick   the time tick the WAL assigned (0 when the WAL assigns none)
 * @param txnContext the transaction the message belongs to, if any
 * @param durability the durability reached before the append was acknowledged
 * @param extra      results added by interceptors, possibly empty
 */
public record AppendResult(MessageId messageId, long timeTick, Optional<TxnContext> txnContext,
                           Durability durability, Map<String, String> extra) {

    /** @throws NullPointerException if an argument is null */
    public AppendResult {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(txnContext, "txnContext");
        Objects.requireNonNull(durability, "durability");
        extra = Map.copyOf(extra);
    }
}
