package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.interceptor.InterceptorBuildParam;
import io.wal4j.adaptor.interceptor.InterceptorBuilder;
import io.wal4j.adaptor.timetick.AckManager;
import io.wal4j.adaptor.timetick.SyncPoint;
import io.wal4j.adaptor.timetick.TimestampAllocator;
import io.wal4j.api.AppendResult;
import io.wal4j.api.Durability;
import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.Txn;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.TxnMetrics;
import io.wal4j.api.WALMetrics;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.WALImpls;
import io.wal4j.utility.ExponentialBackoff;
import io.wal4j.utility.Lifetime;
import io.wal4j.utility.NamedThreadFactory;
import io.wal4j.utility.WriteAheadBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

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
 * <p><b>Completions.</b> When the backend completes an append later (an I/O thread of its own), the interceptors'
 * after-parts and the callbacks of the returned future run on the WAL's single completion thread
 * ({@code wal4j-append-<channel>-1}), in the order the backend completed the appends; callbacks must not block on
 * another append of the same WAL there ({@link #append} detects it and refuses). When the backend completes an
 * append before returning, inside that append's own submission (an in-memory backend), it is finished on the
 * appending thread with no hand-off, and the returned future is already complete; see {@link SubmittingAppend}.
 *
 * <p><b>Time ticks</b> (Milvus reference §3.6). At open the last time tick in the log is recovered (so ticks never go
 * backwards across a reopen) and a first time tick, its own last-confirmed id, is written straight to the backend:
 * the fence against the previous writer and the first resume point. A built-in {@link TimeTickInterceptor},
 * innermost, stamps every message with a tick and last-confirmed id; a {@link TimeTickSyncOperator} publishes time
 * ticks eagerly through the chain and feeds the write-ahead buffer that tailing scanners read. The periodic and
 * eager time ticks are written at the backend's lowest durability level (OS for the file backend): a time tick is a
 * hint for readers, and losing one in a power loss loses no message — recovery falls back to an earlier tick, and
 * every message acknowledged at a higher level stays. The first time tick (the fence) and the last one written at
 * close use the WAL's durability.
 *
 * <p>Thread-safe.
 */
final class WALAdaptor implements WAL {

    private static final Logger LOG = LoggerFactory.getLogger(WALAdaptor.class);

    private final String walName;
    private final PChannelInfo channel;
    private final WALImpls backend;
    private final Capabilities capabilities;
    private final Durability durability;
    private final Durability tickDurability;
    private final ReadSide readSide;
    private final WriteAheadBuffer<ImmutableMessage> buffer; // null when disabled by configuration
    private final AppendTimings timings;
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
    private volatile AckManager acks; // set once in open(), before the WAL is published
    private volatile TimeTickSyncOperator syncOperator; // set once in open(), before the WAL is published
    private volatile TxnManager txns; // set once in open() in time-tick mode, before the WAL is published
    private volatile MvccManager mvcc; // set once in open() in time-tick mode, before the WAL is published
    private final Duration txnCloseWait;

    private WALAdaptor(WALImpls backend, Capabilities capabilities, AdaptorConfig adaptorConfig, Runnable onClosed) {
        this.walName = backend.walName();
        this.channel = backend.channel();
        this.backend = backend;
        this.capabilities = capabilities;
        this.durability = adaptorConfig.durabilityFor(capabilities);
        this.tickDurability = capabilities.durabilities().stream().min(Durability::compareTo).orElse(durability);
        this.buffer = adaptorConfig.bufferBytes() == 0 || !adaptorConfig.timeTicks() ? null
                : new WriteAheadBuffer<>(adaptorConfig.bufferBytes(), adaptorConfig.bufferKeepAlive(),
                        ImmutableMessage::estimateSize);
        this.readSide = new ReadSide(channel, backend, buffer, this::requestPersistedTimeTick,
                adaptorConfig.txnBufferBytes());
        this.onClosed = onClosed;
        this.lifetime = new Lifetime("WAL " + channel);
        this.state = new WriterState(channel, lifetime);
        this.metrics = new AdaptorMetrics();
        this.timings = new AppendTimings(metrics);
        this.completionPool = Threads.completionExecutor(channel.name(), thread -> completionThread = thread);
        this.completions = Threads.orCallerRuns(completionPool);
        this.retryScheduler = Threads.retryScheduler(channel.name());
        this.txnCloseWait = adaptorConfig.txnCloseWait();
    }

    /**
     * Wraps an opened backend WAL: recovers the last time tick, writes the first time tick (retrying transient
     * failures), builds the interceptors (outermost first, the WAL's {@link TimeTickInterceptor} innermost), completes
     * their WAL future and starts the time-tick sync. Blocks for the recovery read and the first write. On failure the
     * WAL's threads are released and the exception rethrown; the caller closes the backend.
     *
     * @throws io.wal4j.api.ChannelFencedException if a newer writer fenced the channel
     * @throws WALStorageException                 if the first write kept failing transiently for
     *                                             {@code wal.adaptor.open-timeout} (the last failure suppressed), or
     *                                             failed permanently
     * @throws WALClosedException                  if the thread is interrupted while waiting for the first write
     *                                             (the interrupt is kept)
     * @throws RuntimeException                    what reading the backend or an interceptor builder threw
     */
    static WALAdaptor open(WALImpls backend, Capabilities capabilities, List<InterceptorBuilder> builders,
                           WALConfig config, AdaptorConfig adaptorConfig, Runnable onClosed) {
        WALAdaptor wal = new WALAdaptor(backend, capabilities, adaptorConfig, onClosed);
        CompletableFuture<WAL> walFuture = new CompletableFuture<>();
        try {
            BackendAppender terminal = new BackendAppender(backend, capabilities.maxMessageBytes(), wal.state,
                    () -> new ExponentialBackoff(adaptorConfig.appendRetryInitial(), adaptorConfig.appendRetryMax(),
                            2.0),
                    wal.retryScheduler, wal.completions, wal.metrics);
            List<InterceptorBuilder> all = new ArrayList<>(builders);
            if (adaptorConfig.timeTicks()) {
                ImmutableMessage first = wal.writeFirstTimeTick(terminal, adaptorConfig);
                wal.syncOperator = new TimeTickSyncOperator(wal.channel, wal.acks, first.timeTick(), wal.buffer,
                        wal::appendTimeTick, SharedScheduler.acquire(), adaptorConfig.syncInterval(),
                        () -> wal.readSide.activeScanners() > 0);
                AckManager acks = wal.acks;
                TimeTickSyncOperator operator = wal.syncOperator;
                TxnManager txns = new TxnManager(acks::recheckConfirmedIdLimit);
                MvccManager mvcc = new MvccManager(first.timeTick());
                acks.setConfirmedIdLimit(txns);
                wal.txns = txns;
                wal.mvcc = mvcc;
                all.add(param -> new LockInterceptor(txns));
                all.add(param -> new TimeTickInterceptor(acks, txns, mvcc, operator::onResolved));
            }
            InterceptorBuildParam param = new InterceptorBuildParam(wal.channel, config, backend, capabilities,
                    walFuture);
            wal.chain = InterceptorChain.build(all, param, wal.timings.wrap(terminal), wal.metrics);
        } catch (RuntimeException | Error e) {
            walFuture.completeExceptionally(e);
            if (wal.syncOperator != null) {
                wal.syncOperator.close();
            }
            if (wal.buffer != null) {
                wal.buffer.close();
            }
            wal.stopThreads();
            throw e;
        }
        walFuture.complete(wal);
        if (wal.syncOperator != null) {
            wal.syncOperator.start();
        }
        return wal;
    }

    /**
     * Recovers the last time tick of the log and writes the first time tick of this writer directly to the backend
     * (no interceptor): its own last-confirmed id, the fence against an older writer and the seed of the ack manager
     * and the write-ahead buffer.
     */
    private ImmutableMessage writeFirstTimeTick(AppendNext terminal, AdaptorConfig adaptorConfig) {
        TimestampAllocator allocator = Objects.requireNonNull(adaptorConfig.allocatorFactory().create(channel),
                "the timestamp allocator factory returned null");
        TimeTickRecovery.lastTimeTick(backend).ifPresent(allocator::observe);
        long tick = allocator.allocate();
        MutableMessage first = MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build()
                .withTimeTick(tick).withTerm(channel.term()).withLastConfirmedSelf();
        AppendOutcome outcome;
        AppendContext ctx = AppendContext.create(channel, durability);
        CompletableFuture<AppendOutcome> firstWrite = terminal.append(ctx, first);
        try {
            outcome = firstWrite.get(adaptorConfig.openTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.cancel(new WALClosedException("interrupted while writing the first time tick of " + channel, e));
            throw new WALClosedException("interrupted while writing the first time tick of " + channel, e);
        } catch (ExecutionException e) {
            throw rethrowable(Futures.unwrap(e));
        } catch (TimeoutException e) {
            // Stops the retries; the exception gets the last backend failure as a suppressed one.
            WALStorageException gaveUp = new WALStorageException("could not write the first time tick of " + channel
                    + " within " + AdaptorConfig.OPEN_TIMEOUT.name() + " = " + adaptorConfig.openTimeout()
                    + "; the backend kept failing (see the suppressed exception)", e);
            ctx.cancel(gaveUp);
            try {
                // The retries stop at once; an attempt still running settles it (it may even have succeeded).
                outcome = firstWrite.get(Threads.LAST_WRITE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException settled) {
                throw rethrowable(Futures.unwrap(settled));
            } catch (InterruptedException stillWaiting) {
                Thread.currentThread().interrupt();
                throw gaveUp;
            } catch (TimeoutException stillWaiting) {
                throw gaveUp;
            }
        }
        ImmutableMessage written = first.toImmutable(outcome.messageId());
        acks = new AckManager(allocator, tick, outcome.messageId());
        if (buffer != null) {
            buffer.append(written);
        }
        return written;
    }

    /**
     * Appends a time-tick message of the {@link TimeTickSyncOperator} through the whole chain, bypassing the refusal
     * of self-controlled types and the user-facing counters.
     *
     * @param notPersistedId the id to report without writing to the backend, or null to write it
     * @return completed with the message as readers see it
     */
    private CompletableFuture<ImmutableMessage> appendTimeTick(MutableMessage tick, MessageId notPersistedId) {
        if (state.isFenced()) {
            return CompletableFuture.failedFuture(state.fencedException());
        }
        if (!lifetime.tryEnter()) {
            return CompletableFuture.failedFuture(state.closedException());
        }
        try {
            tick.withTerm(channel.term());
            AppendContext ctx = AppendContext.create(channel, tickDurability);
            if (notPersistedId != null) {
                ctx.setNotPersistedId(notPersistedId);
            }
            CompletableFuture<AppendOutcome> chained;
            AppendContext outer = SubmittingAppend.enter(ctx); // no caller's callback waits on a time tick
            try {
                chained = runChain(ctx, tick);
            } finally {
                SubmittingAppend.exit(outer);
            }
            return chained.handle((outcome, failure) -> {
                try {
                    if (failure == null && outcome != null) {
                        return tick.toImmutable(outcome.messageId());
                    }
                    Throwable cause = failure == null ? new NullPointerException("the interceptor chain returned a "
                            + "null outcome") : Futures.unwrap(failure);
                    if (cause instanceof ChannelFencedException fenced) {
                        state.markFenced(fenced);
                    }
                    throw new CompletionException(cause);
                } finally {
                    lifetime.exit();
                }
            });
        } catch (RuntimeException | Error e) {
            lifetime.exit();
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Once no append is in flight, writes one last persisted time tick when acknowledged messages wait for one, so
     * that readers of the closed channel get them released from their reorder buffers. Straight to the backend (the
     * chain no longer admits anything), once, without retry; a failure (fenced, say) is logged, not thrown.
     */
    private void writeLastTimeTick() {
        if (state.isFenced()) {
            return;
        }
        long acknowledged = acks.lastAcknowledgedTimeTick();
        if (acknowledged <= syncOperator.lastPersistedTick()) {
            return; // every acknowledged message is below a persisted time tick already
        }
        // Syncs racing with the close may have taken points they could no longer write: take fresh ones until one
        // is above every acknowledged message.
        SyncPoint last;
        do {
            Optional<SyncPoint> point = acks.sync();
            if (point.isEmpty()) {
                LOG.warn("closing {}: an append is still unresolved; no last time tick", channel);
                return;
            }
            last = point.get();
        } while (acks.hasUnsyncedAcks() || last.timeTick() <= acknowledged);
        MutableMessage tick = MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build()
                .withTimeTick(last.timeTick()).withLastConfirmed(last.lastConfirmedId()).withTerm(channel.term());
        try {
            Futures.callSafely(() -> backend.append(tick, durability), "backend append")
                    .get(Threads.LAST_WRITE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("closing {}: interrupted while writing the last time tick", channel);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("closing {}: the last time tick was not written", channel, e);
        }
    }

    /** A new scanner needs a recent persisted time tick in the backend to meet the write-ahead buffer. */
    private void requestPersistedTimeTick() {
        TimeTickSyncOperator operator = syncOperator;
        if (operator != null && buffer != null) {
            operator.trigger(true);
        }
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
        return submit(message, null, false);
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnsupportedOperationException in plain mode ({@code wal.adaptor.timetick.enabled=false})
     */
    @Override
    public CompletableFuture<Txn> beginTxnAsync(String vchannel, Duration keepalive) {
        Objects.requireNonNull(vchannel, "vchannel");
        Objects.requireNonNull(keepalive, "keepalive");
        if (vchannel.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs a vchannel, got the empty string");
        }
        if (keepalive.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("keepalive must be at least 1 ms, got " + keepalive);
        }
        if (txns == null) {
            throw new UnsupportedOperationException("transactions need time ticks; WAL " + channel
                    + " runs with " + AdaptorConfig.TIMETICK_ENABLED.name() + "=false");
        }
        // The id is a placeholder: the time-tick interceptor replaces it with the begin's tick.
        MutableMessage begin = MutableMessage.newBuilder().messageType(MessageType.BEGIN_TXN).vchannel(vchannel)
                .build().withTxnContext(new TxnContext(0, keepalive));
        return submit(begin, null, true).thenApply(result -> new TxnHandle(this, vchannel, result));
    }

    /** Appends a transaction's own message (commit, rollback), which users may not append directly. */
    CompletableFuture<AppendResult> appendTxnControl(MutableMessage message) {
        return submit(message, null, true);
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnsupportedOperationException in plain mode ({@code wal.adaptor.timetick.enabled=false})
     */
    @Override
    public long latestMvccTimestamp(String vchannel) {
        Objects.requireNonNull(vchannel, "vchannel");
        if (!lifetime.tryEnter()) {
            throw state.closedException();
        }
        try {
            MvccManager manager = mvcc;
            if (manager == null) {
                throw new UnsupportedOperationException("MVCC timestamps need time ticks; WAL " + channel
                        + " runs with " + AdaptorConfig.TIMETICK_ENABLED.name() + "=false");
            }
            MvccManager.Mvcc answer = manager.latest(vchannel);
            if (!answer.confirmed()) {
                syncOperator.trigger(false); // so that a time tick soon confirms it
            }
            return answer.timeTick();
        } finally {
            lifetime.exit();
        }
    }

    /** @return the read-side transaction counters (bytes held, committed, rolled back, expired, too large) */
    TxnBufferStats txnBufferStats() {
        return readSide.txnStats();
    }

    /** @return the writer's open transactions, or null in plain mode (tests) */
    TxnManager txnManager() {
        return txns;
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(MutableMessage message, Duration timeout) {
        if (timeout == null) {
            return refuse(new NullPointerException("timeout"));
        }
        if (timeout.isNegative()) {
            return refuse(new IllegalArgumentException("timeout must not be negative, got " + timeout));
        }
        return submit(message, timeout, false);
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

    private CompletableFuture<AppendResult> submit(MutableMessage message, Duration timeout, boolean internal) {
        MutableMessage copy;
        try {
            Objects.requireNonNull(message, "message");
            MessageType type = message.messageType();
            if (type.isSelfControlled() && !internal) {
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
        long started = System.nanoTime();
        AppendContext ctx = AppendContext.create(channel, durability);
        timings.begin(ctx);
        try {
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
            CompletableFuture<AppendOutcome> chained;
            AppendContext outer = SubmittingAppend.enter(ctx);
            try {
                chained = runChain(ctx, copy);
            } finally {
                SubmittingAppend.exit(outer);
            }
            BiConsumer<AppendOutcome, Throwable> finishing = (outcome, failure) -> {
                timings.end(ctx, System.nanoTime() - started, failure == null && outcome != null);
                finish(result, ctx, copy, outcome, failure);
            };
            if (chained.isDone()) { // inside its own submission (a synchronous backend): no stage, no hand-off
                Futures.acceptDone(chained, finishing);
            } else {
                // The caller's callbacks run in finish(), so only on the completion thread, where they are detected
                // (close() moves to a thread of its own, append() refuses): not on whichever thread happened to
                // complete the chain (another append releasing a lock, a retry, a transaction's last body).
                chained.whenComplete((outcome, failure) -> {
                    if (onCompletionThread()) {
                        finishing.accept(outcome, failure);
                    } else {
                        completions.execute(() -> finishing.accept(outcome, failure));
                    }
                });
            }
        } catch (RuntimeException | Error e) {
            timings.end(ctx, 0, false);
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
                if (result.complete(appendResult)) {
                    metrics.appends.increment();
                    metrics.appendBytes.add(copy.estimateSize());
                } else {
                    metrics.appendFailures.increment(); // the caller gave up first (timeout, cancel)
                }
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
    public TxnMetrics txnMetrics() {
        return readSide.txnStats().snapshot(txns == null ? 0 : txns.openCount());
    }

    @Override
    public WALMetrics metrics() {
        ScanModes modes = readSide.modes();
        TimeTickSyncOperator operator = syncOperator;
        AckManager ackManager = acks;
        WALMetrics.Details details = new WALMetrics.Details(metrics.interceptorLatency.snapshot(),
                metrics.backendLatency.snapshot(), modes.catchUp(), modes.tailing(),
                buffer == null ? 0 : buffer.bytes(), buffer == null ? 0 : buffer.size(),
                ackManager == null ? 0 : ackManager.lastConfirmedTimeTick(), operator == null ? 0 : operator.lagMillis(),
                operator == null ? 0 : operator.persistedSyncs(), operator == null ? 0 : operator.notPersistedSyncs());
        return metrics.snapshot(channel, readSide.activeScanners(), details);
    }

    /** @return the time-tick sync operator (tests) */
    TimeTickSyncOperator syncOperator() {
        return syncOperator;
    }

    /** @return the scanners by mode (tests) */
    ScanModes scanModes() {
        return readSide.modes();
    }

    /** @return the write-ahead buffer, or null when disabled (tests) */
    WriteAheadBuffer<ImmutableMessage> buffer() {
        return buffer;
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
            if (txns != null && !txns.closeAndAwait(txnCloseWait)) {
                LOG.warn("closing {}: {} transaction(s) still open after {}; they will never be delivered", channel,
                        txns.openCount(), txnCloseWait);
            }
            chain.gracefulClose();
            lifetime.close();
            state.markClosing();
            Threads.awaitQuiescent(lifetime, LOG, "WAL " + channel);
            if (syncOperator != null) {
                syncOperator.close();
                writeLastTimeTick();
            }
            readSide.closeAll();
            if (buffer != null) {
                buffer.close();
            }
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
