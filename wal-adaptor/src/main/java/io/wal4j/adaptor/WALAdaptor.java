package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.interceptor.InterceptorBuildParam;
import io.wal4j.adaptor.interceptor.InterceptorBuilder;
import io.wal4j.api.AppendResult;
import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALException;
import io.wal4j.api.WALMetrics;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.WALImpls;
import io.wal4j.utility.ExponentialBackoff;
import io.wal4j.utility.Lifetime;
import io.wal4j.utility.NamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A channel opened read-write: the backend {@link WALImpls} behind a lifetime guard, the interceptor chain ending in the
 * retrying backend append, fencing, metrics, and the read side.
 *
 * <p><b>Append path.</b> Refuse (failed future, never a throw) a null message, a self-controlled type, an oversize
 * message, a closed or fenced WAL; enter the lifetime; copy the message and stamp the term; wait for every
 * interceptor's readiness (or close, or the caller giving up); run the chain; complete the caller's future on a WAL
 * completion thread; exit the lifetime. A {@link ChannelFencedException} makes the WAL permanently unavailable.
 *
 * <p><b>Close order</b> (Milvus reference §3.1): graceful-close the interceptors while appends are still admitted;
 * refuse new calls, signal unavailability and wake parked appends (readiness waits, retry backoffs); wait for every
 * in-flight append, sync and async; close the scanners; close the backend; close the interceptors; stop the WAL's
 * threads; deregister from the opener. Idempotent; a second caller waits for the first. Called from inside an append's
 * completion (a callback on the returned future) the close cannot wait for that very append, so it finishes on a
 * separate {@code wal4j-close-<channel>} thread instead (same for any call on the completion thread).
 *
 * <p><b>Completions.</b> Backend completions, interceptors' after-parts and the callbacks of the returned futures run on
 * the WAL's single completion thread ({@code wal4j-append-<channel>-1}), in the order the backend completed the
 * appends. Callbacks must not block on another append of the same WAL ({@link #append} detects it and refuses).
 *
 * <p>Thread-safe.
 */
final class WALAdaptor implements WAL {

    private static final Logger LOG = LoggerFactory.getLogger(WALAdaptor.class);

    private final String walName;
    private final PChannelInfo channel;
    private final WALImpls backend;
    private final Capabilities capabilities;
    private final ReadSide readSide;
    private final Runnable onClosed;
    private final Lifetime lifetime;
    private final WriterState state;
    private final AdaptorMetrics metrics;
    private final ThreadPoolExecutor completionPool;
    private final Executor completions;
    private final ScheduledThreadPoolExecutor retryScheduler;
    private volatile Thread completionThread;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile InterceptorChain chain; // set once in open(), before the WAL is published

    private WALAdaptor(WALImpls backend, Capabilities capabilities, Runnable onClosed) {
        this.walName = backend.walName();
        this.channel = backend.channel();
        this.backend = backend;
        this.capabilities = capabilities;
        this.readSide = new ReadSide(channel, backend);
        this.onClosed = onClosed;
        this.lifetime = new Lifetime("WAL " + channel);
        this.state = new WriterState(channel, lifetime);
        this.metrics = new AdaptorMetrics();
        this.completionPool = Threads.completionExecutor(channel.name(), thread -> completionThread = thread);
        this.completions = Threads.orCallerRuns(completionPool);
        this.retryScheduler = Threads.retryScheduler(channel.name());
    }

    /**
     * Wraps an opened backend WAL: builds the interceptors (outermost first) and completes their WAL future. Does no
     * I/O. On failure the WAL's threads are released and the exception rethrown; the caller closes the backend.
     *
     * @throws RuntimeException what an interceptor builder threw
     */
    static WALAdaptor open(WALImpls backend, Capabilities capabilities, List<InterceptorBuilder> builders,
                           WALConfig config, AdaptorConfig adaptorConfig, Runnable onClosed) {
        WALAdaptor wal = new WALAdaptor(backend, capabilities, onClosed);
        CompletableFuture<WAL> walFuture = new CompletableFuture<>();
        try {
            BackendAppender terminal = new BackendAppender(backend, capabilities.maxMessageBytes(), wal.state,
                    () -> new ExponentialBackoff(adaptorConfig.appendRetryInitial(), adaptorConfig.appendRetryMax(),
                            2.0),
                    wal.retryScheduler, wal.completions, wal.metrics);
            InterceptorBuildParam param = new InterceptorBuildParam(wal.channel, config, backend, capabilities,
                    walFuture);
            wal.chain = InterceptorChain.build(builders, param, terminal, wal.metrics);
        } catch (RuntimeException | Error e) {
            walFuture.completeExceptionally(e);
            wal.stopThreads();
            throw e;
        }
        walFuture.complete(wal);
        return wal;
    }

    @Override
    public String walName() {
        return walName;
    }

    @Override
    public PChannelInfo channel() {
        return channel;
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(MutableMessage message) {
        return submit(message, null);
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(MutableMessage message, Duration timeout) {
        if (timeout == null) {
            return refuse(new NullPointerException("timeout"));
        }
        if (timeout.isNegative()) {
            return refuse(new IllegalArgumentException("timeout must not be negative, got " + timeout));
        }
        return submit(message, timeout);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The failure is the one the future of {@link #appendAsync(MutableMessage)} carries, rethrown as is (its stack
     * trace is that of the thread that failed it). If the calling thread is interrupted while waiting, its interrupt
     * status is kept and a {@link WALClosedException} is thrown; the append itself goes on and may still succeed.
     *
     * @throws IllegalStateException if called on the WAL's completion thread (from a callback of one of its append
     *     futures, or an interceptor's after-part), which would have to complete the very append it waits for (use
     *     {@link #appendAsync(MutableMessage)} there)
     */
    @Override
    public AppendResult append(MutableMessage message) {
        Objects.requireNonNull(message, "message");
        if (onCompletionThread()) {
            throw new IllegalStateException("append() called from an append callback of WAL " + channel
                    + " would wait for itself; use appendAsync()");
        }
        CompletableFuture<AppendResult> future = appendAsync(message);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            WALClosedException closedByInterrupt = new WALClosedException("interrupted while waiting for an append to "
                    + channel + "; the append goes on and may still succeed");
            closedByInterrupt.addSuppressed(e);
            throw closedByInterrupt;
        } catch (ExecutionException e) {
            throw rethrowable(Futures.unwrap(e));
        }
    }

    private CompletableFuture<AppendResult> submit(MutableMessage message, Duration timeout) {
        MutableMessage copy;
        try {
            Objects.requireNonNull(message, "message");
            MessageType type = message.messageType();
            if (type.isSelfControlled()) {
                throw new IllegalArgumentException("message type " + type.name()
                        + " is self-controlled: only the WAL itself appends it");
            }
            copy = message.copy().withTerm(channel.term());
        } catch (RuntimeException e) {
            return refuse(e);
        }
        long size = copy.estimateSize();
        if (size > capabilities.maxMessageBytes()) {
            return refuse(new MessageTooLargeException(size, capabilities.maxMessageBytes()));
        }
        if (state.isFenced()) {
            return refuse(state.fencedException());
        }
        if (!lifetime.tryEnter()) {
            return refuse(state.closedException());
        }
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        try {
            AppendContext ctx = AppendContext.create(channel, capabilities.defaultDurability());
            if (timeout != null) {
                long nanos = timeout.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE
                        : timeout.toNanos();
                result.orTimeout(nanos, TimeUnit.NANOSECONDS);
            }
            // The caller giving up (cancel, timeout) abandons the append: waits inside the chain end at once.
            result.whenComplete((r, failure) -> {
                if (failure != null) {
                    ctx.cancel(Futures.unwrap(failure));
                }
            });
            runChain(ctx, copy).whenComplete((outcome, failure) -> finish(result, ctx, copy, outcome, failure));
        } catch (RuntimeException | Error e) {
            lifetime.exit();
            metrics.appendFailures.increment();
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Runs the chain at once if every interceptor is ready, else parks until they are (or the append is abandoned). */
    private CompletableFuture<AppendOutcome> runChain(AppendContext ctx, MutableMessage copy) {
        CompletableFuture<Void> ready = chain.ready();
        if (ready.isDone() && !ready.isCompletedExceptionally()) {
            return chain.append(ctx, copy);
        }
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Runnable unpark = state.park(ctx);
        Runnable unregister = ctx.onCancel(gate::completeExceptionally);
        ready.whenComplete((v, failure) -> {
            if (failure == null) {
                gate.complete(null);
            } else {
                gate.completeExceptionally(Futures.unwrap(failure));
            }
        });
        return gate.whenComplete((v, failure) -> {
            unpark.run();
            unregister.run();
        }).thenComposeAsync(v -> chain.append(ctx, copy), completions);
    }

    private void finish(CompletableFuture<AppendResult> result, AppendContext ctx, MutableMessage copy,
                        AppendOutcome outcome, Throwable failure) {
        try {
            if (failure == null && outcome != null) {
                AppendResult appendResult = new AppendResult(outcome.messageId(), ctx.timeTick(), ctx.txnContext(),
                        outcome.durability(), ctx.extra());
                metrics.appends.increment();
                metrics.appendBytes.add(copy.estimateSize());
                result.complete(appendResult);
            } else {
                Throwable cause = failure == null ? new NullPointerException("the interceptor chain returned a null "
                        + "outcome") : Futures.unwrap(failure);
                if (cause instanceof ChannelFencedException fenced) {
                    state.markFenced(fenced);
                }
                metrics.appendFailures.increment();
                result.completeExceptionally(cause);
            }
        } catch (RuntimeException | Error e) {
            metrics.appendFailures.increment();
            result.completeExceptionally(e);
        } finally {
            lifetime.exit();
        }
    }

    /** @return whether the caller runs on this WAL's completion thread (an append callback or after-part) */
    private boolean onCompletionThread() {
        return Thread.currentThread() == completionThread;
    }

    private CompletableFuture<AppendResult> refuse(Throwable failure) {
        metrics.appendFailures.increment();
        return CompletableFuture.failedFuture(failure);
    }

    private static RuntimeException rethrowable(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new WALException("append failed", cause);
    }

    @Override
    public Scanner read(ReadOption option) {
        Objects.requireNonNull(option, "option");
        if (!lifetime.tryEnter()) {
            throw state.closedException();
        }
        try {
            return readSide.read(option);
        } finally {
            lifetime.exit();
        }
    }

    @Override
    public CompletableFuture<Void> available() {
        return Futures.view(state.unavailable());
    }

    @Override
    public boolean isAvailable() {
        return !state.unavailable().isDone();
    }

    @Override
    public WALMetrics metrics() {
        return metrics.snapshot(channel, readSide.activeScanners());
    }

    @Override
    public void close() {
        boolean insideCompletion = onCompletionThread();
        if (!closeStarted.compareAndSet(false, true)) {
            if (!insideCompletion) {
                Futures.joinUninterruptibly(closed);
            }
            return;
        }
        if (insideCompletion) {
            Thread closer = new NamedThreadFactory("wal4j-close-" + channel.name()).newThread(this::closeNow);
            closer.start();
            return;
        }
        closeNow();
    }

    private void closeNow() {
        try {
            chain.gracefulClose();
            lifetime.close();
            state.markClosing();
            Threads.awaitQuiescent(lifetime, LOG, "WAL " + channel);
            readSide.closeAll();
            Threads.closeQuietly(backend, LOG, "backend of WAL " + channel);
            chain.close();
            stopThreads();
            onClosed.run();
        } finally {
            closed.complete(null);
        }
    }

    private void stopThreads() {
        retryScheduler.shutdownNow();
        completionPool.shutdown();
    }

    @Override
    public String toString() {
        return "WALAdaptor{" + walName + " " + channel + ", " + chain + "}";
    }
}
