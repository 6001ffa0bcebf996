package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.interceptor.Interceptor;
import io.wal4j.adaptor.timetick.AckManager;
import io.wal4j.adaptor.timetick.Acker;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;

import java.util.concurrent.CompletableFuture;

/**
 * The WAL's own innermost interceptor (Milvus reference §3.6): gives each message a time tick and its last-confirmed
 * id from the channel's {@link AckManager}, reports the tick in the append result, and resolves the tick when the
 * backend step completes — acknowledged with the stored message, or failed. Each resolution may allow a time-tick
 * sync, so it pokes the {@link TimeTickSyncOperator} (eager sync).
 *
 * <p>Time-tick messages come from the sync operator already stamped; they pass through untouched.
 *
 * <p>Thread-safe; stateless apart from its collaborators. Lives as long as its WAL.
 */
final class TimeTickInterceptor implements Interceptor {

    /** The name under which the WAL's metrics report this interceptor. */
    static final String NAME = "timetick";

    private final AckManager acks;
    private final Runnable onResolved;

    /**
     * @param acks       the channel's ack manager
     * @param onResolved run after each tick is resolved (outside any lock); must not throw
     */
    TimeTickInterceptor(AckManager acks, Runnable onResolved) {
        this.acks = acks;
        this.onResolved = onResolved;
    }

    @Override
    public CompletableFuture<AppendOutcome> doAppend(AppendContext ctx, MutableMessage message, AppendNext next) {
        if (message.messageType().equals(MessageType.TIME_TICK)) {
            return next.append(ctx, message);
        }
        Acker acker = acks.allocate();
        message.withTimeTick(acker.timeTick()).withLastConfirmed(acker.lastConfirmedId());
        ctx.setTimeTick(acker.timeTick());
        CompletableFuture<AppendOutcome> outcome;
        try {
            outcome = next.append(ctx, message);
        } catch (RuntimeException | Error e) {
            resolve(acker, message, null);
            throw e;
        }
        if (outcome == null) {
            resolve(acker, message, null);
            return null;
        }
        return outcome.whenComplete((o, failure) -> resolve(acker, message, failure == null ? o : null));
    }

    private void resolve(Acker acker, MutableMessage message, AppendOutcome outcome) {
        if (outcome != null) {
            acks.ack(acker, message.toImmutable(outcome.messageId()));
        } else {
            acks.fail(acker);
        }
        onResolved.run();
    }

    @Override
    public String name() {
        return NAME;
    }
}
