package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.Durability;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.WALImpls;
import io.wal4j.utility.ExponentialBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The innermost step of the interceptor chain: appends to the backend, retrying transient failures with exponential
 * backoff (10 ms → 5 s by default) for as long as the append is wanted — until the WAL closes, the channel is fenced,
 * or the append is cancelled or times out.
 *
 * <p>Never retried: {@link ChannelFencedException} (which also marks the WAL fenced), {@link MessageTooLargeException},
 * {@link IllegalArgumentException}, {@link WALClosedException}, {@link UnsupportedOperationException},
 * {@link NullPointerException}, {@link InvalidMessageIdException}, {@link CancellationException} and any
 * {@link Error}: they are not going to go away. Everything else (storage failures, timeouts of a remote backend) is.
 *
 * <p>Thread-safe. A backend completion that arrives later is handed to the WAL's completion executor, so the
 * interceptors' after-parts and user callbacks never run on a backend's I/O thread; an append the backend completed
 * before returning its future (an in-memory backend) goes on on the calling thread, with no hand-off, when that
 * thread is submitting this very append ({@link SubmittingAppend}) — not on a retry, nor when another append's lock
 * release or transaction end runs this one's chain.
 */
final class BackendAppender implements AppendNext {

    private static final Logger LOG = LoggerFactory.getLogger(BackendAppender.class);

    private final WALImpls backend;
    private final long maxMessageBytes;
    private final WriterState state;
    private final Supplier<ExponentialBackoff> backoffs;
    private final ScheduledExecutorService scheduler;
    private final Executor completions;
    private final AdaptorMetrics metrics;

    BackendAppender(WALImpls backend, long maxMessageBytes, WriterState state, Supplier<ExponentialBackoff> backoffs,
                    ScheduledExecutorService scheduler, Executor completions, AdaptorMetrics metrics) {
        this.backend = backend;
        this.maxMessageBytes = maxMessageBytes;
        this.state = state;
        this.backoffs = backoffs;
        this.scheduler = scheduler;
        this.completions = completions;
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<AppendOutcome> append(AppendContext ctx, MutableMessage message) {
        Optional<MessageId> notPersisted = ctx.notPersistedId();
        if (notPersisted.isPresent()) {
            return CompletableFuture.completedFuture(new AppendOutcome(notPersisted.get(), Durability.MEMORY));
        }
        long size = message.estimateSize();
        if (size > maxMessageBytes) {
            return CompletableFuture.failedFuture(new MessageTooLargeException(size, maxMessageBytes));
        }
        Attempts attempts = new Attempts(ctx, message);
        attempts.run();
        return attempts.result;
    }

    /** @return whether a backend failure may go away by itself */
    static boolean isRetryable(Throwable cause) {
        return !(cause instanceof ChannelFencedException
                || cause instanceof MessageTooLargeException
                || cause instanceof IllegalArgumentException
                || cause instanceof WALClosedException
                || cause instanceof UnsupportedOperationException
                || cause instanceof NullPointerException
                || cause instanceof InvalidMessageIdException
                || cause instanceof CancellationException
                || cause instanceof WALStorageException storage && storage.isPermanent()
                || cause instanceof Error);
    }

    /** The attempts of one append. Attempts never overlap: the next starts only after the previous failed. */
    private final class Attempts {
        final CompletableFuture<AppendOutcome> result = new CompletableFuture<>();
        private final AppendContext ctx;
        private final MutableMessage message;
        private ExponentialBackoff backoff;

        Attempts(AppendContext ctx, MutableMessage message) {
            this.ctx = ctx;
            this.message = message;
        }

        void run() {
            Optional<Throwable> stop = state.stopReason(ctx);
            if (stop.isPresent()) {
                result.completeExceptionally(stop.get());
                return;
            }
            long start = System.nanoTime();
            CompletableFuture<MessageId> attempt = Futures.callSafely(() -> backend.append(message, ctx.durability()),
                    "backend append");
            BiConsumer<MessageId, Throwable> done = (id, failure) -> {
                metrics.backendAppendNanos.add(System.nanoTime() - start);
                onAttemptDone(id, failure);
            };
            if (attempt.isDone() && SubmittingAppend.isSubmitting(ctx)) {
                // Completed before it was returned, inside the append's own submission: no backend I/O thread and no
                // caller's callback is involved, so go on here without a hand-off (a synchronous backend then costs
                // no context switch per append).
                Futures.acceptDone(attempt, done);
            } else {
                attempt.whenCompleteAsync(done, completions);
            }
        }

        private void onAttemptDone(MessageId id, Throwable failure) {
            if (failure == null) {
                if (id == null) {
                    result.completeExceptionally(new NullPointerException("backend append returned a null id"));
                } else {
                    result.complete(new AppendOutcome(id, ctx.durability()));
                }
                return;
            }
            Throwable cause = Futures.unwrap(failure);
            if (cause instanceof ChannelFencedException fenced) {
                state.markFenced(fenced);
            }
            if (!isRetryable(cause)) {
                result.completeExceptionally(cause);
                return;
            }
            Optional<Throwable> stop = state.stopReason(ctx);
            if (stop.isPresent()) {
                Throwable reason = stop.get();
                if (!ctx.isCancelled() || reason instanceof WALStorageException) {
                    // a fresh close/fence exception, or an open giving up: keep the last backend failure
                    reason.addSuppressed(cause);
                }
                result.completeExceptionally(reason);
                return;
            }
            if (backoff == null) {
                backoff = backoffs.get();
            }
            long delayNanos = backoff.next().toNanos();
            metrics.appendRetries.increment();
            LOG.debug("append to {} failed, retrying in {} µs", state.channel(), delayNanos / 1000, cause);
            retryAfter(delayNanos, cause);
        }

        /** Waits {@code delayNanos}, or less if the append is abandoned or the WAL closes or is fenced meanwhile. */
        private void retryAfter(long delayNanos, Throwable lastFailure) {
            AtomicBoolean settled = new AtomicBoolean();
            AtomicReference<ScheduledFuture<?>> timer = new AtomicReference<>();
            Runnable unpark = state.park(ctx);
            Runnable unregister = ctx.onCancel(reason -> {
                if (settled.compareAndSet(false, true)) {
                    unpark.run();
                    ScheduledFuture<?> pending = timer.get();
                    if (pending != null) {
                        pending.cancel(false);
                    }
                    if (reason instanceof WALClosedException || reason instanceof ChannelFencedException
                            || reason instanceof WALStorageException) {
                        // made fresh for this append (by the close, the fence, or an open giving up)
                        reason.addSuppressed(lastFailure);
                    }
                    result.completeExceptionally(reason);
                }
            });
            if (settled.get()) {
                return;
            }
            try {
                timer.set(scheduler.schedule(() -> {
                    if (settled.compareAndSet(false, true)) {
                        unpark.run();
                        unregister.run();
                        run();
                    }
                }, delayNanos, TimeUnit.NANOSECONDS));
            } catch (RejectedExecutionException e) {
                if (settled.compareAndSet(false, true)) {
                    unpark.run();
                    unregister.run();
                    result.completeExceptionally(state.stopReason(ctx).orElse(e));
                }
            }
        }
    }
}
