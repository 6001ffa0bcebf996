package io.wal4j.adaptor;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Enforces a {@code startFrom}/{@code startAfter}/{@code latest} policy on every data message, whatever the source it came from.
 *
 * <p>Why a stage: the backend scanner honours the policy, but a scanner that switches to the write-ahead buffer (or
 * falls back to the backend from a last-confirmed id) resumes by time tick, and ids do not follow time ticks under
 * concurrent appends: a message with an id before the start position may carry a tick after the one at which the
 * scanner switched. System messages pass: they only move the consumer's time forward.
 */
final class StartPositionStage implements ScanStage {

    private MessageId start; // for latest(): unknown until the first message
    private final boolean inclusive;

    private StartPositionStage(MessageId start, boolean inclusive) {
        this.start = start;
        this.inclusive = inclusive;
    }

    /**
     * @return the stage a policy needs, or empty for {@code all()}. For {@code latest()} the start is the id of the first
     *     message the scanner receives (from the backend, which honours the policy): data met later in the write-ahead
     *     buffer with a smaller id — acknowledged before the scanner opened but carrying a tick after the time tick at
     *     which it switched — is earlier data and is dropped.
     */
    static Optional<ScanStage> forPolicy(DeliverPolicy policy) {
        if (policy instanceof DeliverPolicy.Latest) {
            return Optional.of(new StartPositionStage(null, true));
        }
        if (policy instanceof DeliverPolicy.StartFrom from) {
            return Optional.of(new StartPositionStage(from.id(), true));
        }
        if (policy instanceof DeliverPolicy.StartAfter after) {
            return Optional.of(new StartPositionStage(after.id(), false));
        }
        return Optional.empty();
    }

    @Override
    public void accept(ImmutableMessage message, Consumer<ImmutableMessage> downstream) {
        if (start == null) {
            start = message.id();
        }
        if (message.messageType().isSystem() || isAtOrAfterStart(message.id())) {
            downstream.accept(message);
        }
    }

    private boolean isAtOrAfterStart(MessageId id) {
        int order = id.compareTo(start);
        return inclusive ? order >= 0 : order > 0;
    }
}
