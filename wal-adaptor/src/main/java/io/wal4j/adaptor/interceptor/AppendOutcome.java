package io.wal4j.adaptor.interceptor;

import io.wal4j.api.Durability;
import io.wal4j.api.message.MessageId;

import java.util.Objects;

/**
 * What an append produced below an interceptor: the id the backend assigned and the durability reached. Flows up the
 * chain from the backend step, so an interceptor may inspect it, or (when it produced the message itself, say a
 * not-persisted time tick) make one up. Immutable and thread-safe.
 *
 * @param messageId  the id of the stored message
 * @param durability the durability reached before acknowledging
 */
public record AppendOutcome(MessageId messageId, Durability durability) {

    /** @throws NullPointerException if an argument is null */
    public AppendOutcome {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(durability, "durability");
    }
}
