package io.wal4j.adaptor;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.utility.ReorderBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Puts a scanner's messages in time-tick order (Milvus reference §3.5). The log is in id order, and concurrent
 * appends may be stored out of tick order; a persisted time tick {@code T} promises that every message with a smaller
 * tick is already stored, so:
 * <ul>
 *   <li>a data message is held in a {@link ReorderBuffer} — unless its id is already held (the catch-up and tailing
 *       streams overlap after a switch) or its tick is not above the last released tick (a time-tick violation:
 *       dropped, counted and logged);</li>
 *   <li>a time tick {@code T} releases every held message with a tick below it, in tick order, and then passes itself
 *       on if it is persisted or if the consumer has nothing pending (the <i>emission rule</i>: consumers' time keeps
 *       moving without a flood of empty ticks); a tick not above the last one passed on is dropped.</li>
 * </ul>
 * A message without a time tick (not written through a full WAL) cannot be ordered and passes straight through.
 * So a consumer sees strictly increasing ticks.
 *
 * <p>Back-pressure is the pull model's: the consumer's thread pulls from upstream only when nothing is pending, so at
 * most what one time tick releases is ever pending. Not thread-safe: used on the scanner's consuming thread.
 */
final class ReorderStage implements ScanStage {

    private static final Logger LOG = LoggerFactory.getLogger(ReorderStage.class);

    // No size function: the stage never reads the held bytes, and estimating a message's size walks its properties.
    private final ReorderBuffer<ImmutableMessage, MessageId> reorder =
            new ReorderBuffer<>(ImmutableMessage::timeTick, ImmutableMessage::id);
    private final IntSupplier pending;
    private long lastEmittedTick = Long.MIN_VALUE;
    private long violations;
    // Passes each released message on and records its tick; one instance, so a release allocates nothing.
    private final Consumer<ImmutableMessage> release = this::emit;
    private Consumer<ImmutableMessage> releaseTo; // the downstream of the time tick being handled

    /** @param pending how many messages wait for the consumer downstream */
    ReorderStage(IntSupplier pending) {
        this.pending = pending;
    }

    @Override
    public void accept(ImmutableMessage message, Consumer<ImmutableMessage> downstream) {
        if (!message.hasTimeTick()) {
            downstream.accept(message);
            return;
        }
        long tick = message.timeTick();
        if (!message.messageType().equals(MessageType.TIME_TICK)) {
            long late = reorder.late();
            if (!reorder.push(message) && reorder.late() > late) {
                violations++;
                LOG.warn("dropped {}: its time tick {} is not above the released tick {}", message.id(), tick,
                        reorder.watermark());
            }
            return;
        }
        if (tick <= lastEmittedTick) {
            return;
        }
        int before = pending.getAsInt();
        releaseTo = downstream;
        int released;
        try {
            released = reorder.popUpTo(tick, release);
        } finally {
            releaseTo = null;
        }
        boolean nothingPending = released == 0 && before == 0;
        if (message.isPersisted() || nothingPending) {
            downstream.accept(message);
            lastEmittedTick = tick;
        }
    }

    private void emit(ImmutableMessage m) {
        releaseTo.accept(m);
        lastEmittedTick = m.timeTick();
    }

    /** @return messages dropped because their tick was not above the released tick */
    long violations() {
        return violations;
    }

    /** @return messages dropped as duplicates of a held one */
    long duplicates() {
        return reorder.duplicates();
    }

    /** @return how many messages are held */
    int held() {
        return reorder.size();
    }
}
