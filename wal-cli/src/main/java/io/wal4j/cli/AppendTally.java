package io.wal4j.cli;

import io.wal4j.api.AppendResult;
import io.wal4j.api.Durability;
import io.wal4j.api.message.MessageId;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts append outcomes as they complete, on whichever thread completes them: the id of each acknowledged message
 * by sequence number, the durability levels reached, the failures (keeping the first). Thread-safe.
 */
final class AppendTally {

    private final AtomicReferenceArray<MessageId> acknowledgedIds;
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final LongAdder[] byDurability = new LongAdder[Durability.values().length];
    private final AtomicLong lastAckNanos = new AtomicLong();

    /** @param messages how many messages the run appends */
    AppendTally(int messages) {
        this.acknowledgedIds = new AtomicReferenceArray<>(messages);
        for (int i = 0; i < byDurability.length; i++) {
            byDurability[i] = new LongAdder();
        }
    }

    /** Records the outcome of the append of message {@code seq}: exactly one of the two is non-null. */
    void record(int seq, AppendResult result, Throwable failure) {
        if (failure != null) {
            failed.increment();
            firstFailure.compareAndSet(null, failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure);
            return;
        }
        acknowledgedIds.set(seq, result.messageId());
        byDurability[result.durability().ordinal()].increment();
        acknowledged.increment();
        lastAckNanos.accumulateAndGet(System.nanoTime(), Math::max);
    }

    /** @return by sequence number, the id of each acknowledged append; null where it failed or is pending */
    AtomicReferenceArray<MessageId> acknowledgedIds() {
        return acknowledgedIds;
    }

    /** @return how many appends were acknowledged */
    long acknowledged() {
        return acknowledged.sum();
    }

    /** @return how many appends failed */
    long failed() {
        return failed.sum();
    }

    /** @return the first failure, or null */
    Throwable firstFailure() {
        return firstFailure.get();
    }

    /** @return how many acknowledgements reached each level, levels never reached left out */
    Map<Durability, Long> durabilities() {
        Map<Durability, Long> counts = new EnumMap<>(Durability.class);
        for (Durability level : Durability.values()) {
            long n = byDurability[level.ordinal()].sum();
            if (n > 0) {
                counts.put(level, n);
            }
        }
        return counts;
    }

    /** @return {@link System#nanoTime()} of the last acknowledgement, 0 if none */
    long lastAckNanos() {
        return lastAckNanos.get();
    }
}
