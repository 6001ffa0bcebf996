package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.interceptor.Interceptor;
import io.wal4j.adaptor.timetick.AckManager;
import io.wal4j.adaptor.timetick.Acker;
import io.wal4j.api.TransactionExpiredException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.ReservedProperties;
import io.wal4j.api.message.TxnContext;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The WAL's own innermost interceptor (Milvus reference §3.6): gives each message a time tick and its last-confirmed
 * id from the channel's {@link AckManager}, reports the tick in the append result, and resolves the tick when the
 * backend step completes — acknowledged with the stored message, or failed. Each resolution may allow a time-tick
 * sync, so it pokes the {@link TimeTickSyncOperator} (eager sync).
 *
 * <p>Time-tick messages come from the sync operator already stamped; they pass through, expiring idle transactions
 * on the way. Transactions (§3.8): a begin gets its tick as transaction id and registers a {@link TxnSession} once
 * acknowledged (before its tick is, so the last-confirmed id never passes it); bodies, commits and rollbacks allocate
 * their tick and check the session in one step; a commit or rollback waits for the bodies in flight. Every
 * acknowledged message feeds the {@link MvccManager}.
 *
 * <p>Thread-safe; stateless apart from its collaborators. Lives as long as its WAL.
 */
final class TimeTickInterceptor implements Interceptor {

    /** The name under which the WAL's metrics report this interceptor. */
    static final String NAME = "timetick";

    private final AckManager acks;
    private final TxnManager txns;
    private final MvccManager mvcc;
    private final Runnable onResolved;

    /**
     * @param acks       the channel's ack manager
     * @param onResolved run after each tick is resolved (outside any lock); must not throw
     */
    TimeTickInterceptor(AckManager acks, Runnable onResolved) {
        this(acks, new TxnManager(acks::recheckConfirmedIdLimit), new MvccManager(0), onResolved);
    }

    /**
     * @param acks       the channel's ack manager
     * @param txns       the writer's open transactions
     * @param mvcc       the channel's MVCC bookkeeping
     * @param onResolved run after each tick is resolved (outside any lock); must not throw
     */
    TimeTickInterceptor(AckManager acks, TxnManager txns, MvccManager mvcc, Runnable onResolved) {
        this.acks = acks;
        this.txns = txns;
        this.mvcc = mvcc;
        this.onResolved = onResolved;
    }

    @Override
    public CompletableFuture<AppendOutcome> doAppend(AppendContext ctx, MutableMessage message, AppendNext next) {
        MessageType type = message.messageType();
        if (type.equals(MessageType.TIME_TICK)) {
            // Time ticks published through the chain expire idle transactions (Milvus CleanupTxnUntil).
            long tick = Long.parseLong(message.property(ReservedProperties.TIME_TICK));
            txns.cleanupUntil(tick);
            CompletableFuture<AppendOutcome> outcome = next.append(ctx, message);
            return outcome == null ? null : outcome.whenComplete((o, failure) -> {
                if (failure == null && o != null) {
                    mvcc.update(message.toImmutable(o.messageId()));
                }
            });
        }
        if (type.equals(MessageType.BEGIN_TXN)) {
            return begin(ctx, message, next);
        }
        String txn = message.property(ReservedProperties.TXN_CONTEXT);
        if (txn != null) {
            return inTxn(ctx, message, next, TxnContext.decode(txn), type);
        }
        Acker acker = acks.allocate();
        return proceed(ctx, message, next, acker, stored -> { }, () -> { });
    }

    private CompletableFuture<AppendOutcome> begin(AppendContext ctx, MutableMessage message, AppendNext next) {
        String placeholder = message.property(ReservedProperties.TXN_CONTEXT);
        if (placeholder == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a begin message carries no keepalive"));
        }
        Acker acker = acks.allocate();
        // The begin's time tick is the transaction id: unique on the channel, across writers and reopens too.
        TxnContext context = new TxnContext(acker.timeTick(), TxnContext.decode(placeholder).keepalive());
        try {
            txns.checkAdmitting(context.txnId());
        } catch (RuntimeException e) {
            acks.fail(acker);
            onResolved.run();
            return CompletableFuture.failedFuture(e);
        }
        message.withTxnContext(context);
        ctx.setTxnContext(context);
        return proceed(ctx, message, next, acker,
                stored -> txns.register(new TxnSession(stored.vchannel(), context, acker.timeTick(), stored.id())),
                () -> { });
    }

    private CompletableFuture<AppendOutcome> inTxn(AppendContext ctx, MutableMessage message, AppendNext next,
                                                   TxnContext context, MessageType type) {
        TxnSession session = txns.find(context.txnId());
        Acker acker;
        try {
            if (session == null) {
                throw new TransactionExpiredException(context.txnId(), "unknown to this writer: it ended, expired, "
                        + "or was begun by an earlier writer of the channel");
            }
            if (!session.vchannel().equals(message.vchannel())) {
                throw new IllegalArgumentException("transaction " + context.txnId() + " is on vchannel '"
                        + session.vchannel() + "', the message on '" + message.vchannel() + "'");
            }
            if (type.isExclusive()) {
                throw new IllegalArgumentException("an exclusive message (" + type + ") cannot be part of a "
                        + "transaction");
            }
            boolean ending = type.equals(MessageType.COMMIT_TXN) || type.equals(MessageType.ROLLBACK_TXN);
            acker = ending ? session.requestEnd(acks, type.equals(MessageType.COMMIT_TXN)) : session.beginBody(acks);
        } catch (RuntimeException e) {
            onResolved.run();
            return CompletableFuture.failedFuture(e);
        }
        ctx.setTxnContext(session.context());
        if (type.equals(MessageType.COMMIT_TXN) || type.equals(MessageType.ROLLBACK_TXN)) {
            // The commit waits for the bodies in flight (their ticks are below its own), then goes on.
            return session.drained().thenCompose(v -> proceed(ctx, message, next, acker, stored -> session.endDone(),
                    session::fail));
        }
        return proceed(ctx, message, next, acker, stored -> session.bodyDone(acker.timeTick()), session::bodyFailed);
    }

    private CompletableFuture<AppendOutcome> proceed(AppendContext ctx, MutableMessage message, AppendNext next,
                                                     Acker acker, Consumer<ImmutableMessage> onStored,
                                                     Runnable onFailed) {
        message.withTimeTick(acker.timeTick()).withLastConfirmed(acker.lastConfirmedId());
        ctx.setTimeTick(acker.timeTick());
        CompletableFuture<AppendOutcome> outcome;
        try {
            outcome = next.append(ctx, message);
        } catch (RuntimeException | Error e) {
            resolve(acker, message, null, onStored, onFailed);
            throw e;
        }
        if (outcome == null) {
            resolve(acker, message, null, onStored, onFailed);
            return null;
        }
        return Futures.whenComplete(outcome, (o, failure) -> resolve(acker, message, failure == null ? o : null,
                onStored, onFailed));
    }

    private void resolve(Acker acker, MutableMessage message, AppendOutcome outcome,
                         Consumer<ImmutableMessage> onStored, Runnable onFailed) {
        if (outcome != null) {
            ImmutableMessage stored = message.toImmutable(outcome.messageId());
            onStored.accept(stored);
            acks.ack(acker, stored);
            mvcc.update(stored);
        } else {
            onFailed.run();
            acks.fail(acker);
        }
        onResolved.run();
    }

    @Override
    public String name() {
        return NAME;
    }
}
