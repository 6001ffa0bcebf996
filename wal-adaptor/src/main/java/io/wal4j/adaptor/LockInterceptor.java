package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.interceptor.Interceptor;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WAL's lock interceptor (Milvus reference §3.2): a channel-wide read-write lock plus one per vchannel. An
 * {@linkplain MessageType#isExclusive() exclusive} message takes its vchannel's lock exclusively (under the channel
 * lock shared), or the channel lock exclusively when its vchannel is empty; every other message takes both shared.
 * So an exclusive message is appended alone on its vchannel (or channel), and its time tick orders it against every
 * other message there exactly as its id does. When it completes, it fails the transactions open on its vchannel
 * (every one for a channel-wide message): a transaction may not straddle it, and the client retries with a new one.
 * Time ticks pass without locks.
 *
 * <p>Waiting never blocks a thread: the locks are {@link AsyncReadWriteLock}s, and an append abandoned while it waits
 * (cancelled, timed out, WAL closing) leaves the queue. Locks are released after the inner chain completes, before the
 * outcome flows up. Thread-safe; a vchannel's lock exists only while some append holds or waits for it. Sits just outside the
 * {@link TimeTickInterceptor}.
 */
final class LockInterceptor implements Interceptor {

    /** The name under which the WAL's metrics report this interceptor. */
    static final String NAME = "lock";

    private final AsyncReadWriteLock global = new AsyncReadWriteLock();
    private final Map<String, Shared> vchannels = new ConcurrentHashMap<>();
    private final TxnManager txns;

    LockInterceptor(TxnManager txns) {
        this.txns = txns;
    }

    @Override
    public CompletableFuture<AppendOutcome> doAppend(AppendContext ctx, MutableMessage message, AppendNext next) {
        MessageType type = message.messageType();
        if (type.equals(MessageType.TIME_TICK)) {
            return next.append(ctx, message);
        }
        String vchannel = message.vchannel();
        boolean exclusive = type.isExclusive();
        boolean channelWide = exclusive && vchannel.isEmpty();
        AsyncReadWriteLock local = channelWide ? null : use(vchannel);
        boolean localExclusive = exclusive && !channelWide;
        if (local != null && global.tryAcquire(false)) {
            if (local.tryAcquire(localExclusive)) {
                // Both granted at once (the common case: no exclusive message around): no future to compose.
                return appendHeld(ctx, message, next, exclusive, vchannel, local, localExclusive, false);
            }
            global.release(false);
        }
        CompletableFuture<Void> held = acquire(global, channelWide, ctx);
        if (local != null) {
            held = held.whenComplete((ok, failure) -> {
                if (failure != null) {
                    unuse(vchannel); // never reached the vchannel lock
                }
            }).thenCompose(v -> acquire(local, localExclusive, ctx).whenComplete((ok, failure) -> {
                if (failure != null) {
                    global.release(false);
                    unuse(vchannel);
                }
            }));
        }
        return held.thenCompose(v -> appendHeld(ctx, message, next, exclusive, vchannel, local, localExclusive,
                channelWide));
    }

    /** Runs the inner chain under the locks taken, and releases them once it completes. */
    private CompletableFuture<AppendOutcome> appendHeld(AppendContext ctx, MutableMessage message, AppendNext next,
                                                        boolean exclusive, String vchannel, AsyncReadWriteLock local,
                                                        boolean localExclusive, boolean channelWide) {
        CompletableFuture<AppendOutcome> outcome;
        try {
            outcome = next.append(ctx, message);
        } catch (RuntimeException | Error e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        if (outcome == null) {
            outcome = CompletableFuture.failedFuture(new NullPointerException("the next step returned null"));
        }
        return Futures.whenComplete(outcome, (o, failure) -> release(exclusive && failure == null, vchannel, local,
                localExclusive, channelWide));
    }

    private void release(boolean exclusiveStored, String vchannel, AsyncReadWriteLock local, boolean localExclusive,
                         boolean channelWide) {
        if (exclusiveStored) {
            txns.failAt(vchannel);
        }
        if (local != null) {
            local.release(localExclusive);
            unuse(vchannel);
        }
        global.release(channelWide);
    }

    /** @return the vchannel's lock, counting one more user (holder or waiter) so it is not dropped meanwhile */
    private AsyncReadWriteLock use(String vchannel) {
        return vchannels.compute(vchannel, (v, shared) -> {
            Shared entry = shared == null ? new Shared() : shared;
            entry.users++;
            return entry;
        }).lock;
    }

    /** One user is done with the vchannel's lock; the last one drops it, so idle vchannels cost nothing. */
    private void unuse(String vchannel) {
        vchannels.computeIfPresent(vchannel, (v, shared) -> --shared.users == 0 ? null : shared);
    }

    /** @return how many vchannel locks exist (tests) */
    int vchannelLocks() {
        return vchannels.size();
    }

    /** A vchannel's lock and how many appends hold or wait for it; mutated only inside the map's compute. */
    private static final class Shared {
        final AsyncReadWriteLock lock = new AsyncReadWriteLock();
        int users;
    }

    /** @return completed when held; failed (and out of the queue) when the append is abandoned first */
    private static CompletableFuture<Void> acquire(AsyncReadWriteLock lock, boolean exclusive, AppendContext ctx) {
        CompletableFuture<Void> granted = lock.acquire(exclusive);
        if (granted.isDone()) {
            return granted;
        }
        Runnable unregister = ctx.onCancel(cause -> {
            if (granted.completeExceptionally(cause)) {
                lock.abandon(granted);
            }
        });
        granted.whenComplete((v, failure) -> unregister.run());
        return granted;
    }

    @Override
    public String name() {
        return NAME;
    }
}
