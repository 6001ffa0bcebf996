package io.wal4j.adaptor;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.Scanner;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A user-facing scanner: an upstream {@link ScannerImpls} (a {@link SwitchableSource}: the backend while catching up,
 * the write-ahead buffer while tailing), a {@link ScanPipeline} in between, and a
 * {@link Lifetime} so that calls after close fail with a {@link WALClosedException} saying who closed it.
 *
 * <p>{@link #poll} and {@link #take} belong to one consuming thread (the pipeline is not thread-safe); {@link #close()}
 * and {@link #done()} to any thread. Closing closes the upstream, which wakes a consumer blocked in it; the consumer
 * then gets a {@link WALClosedException} caused by the close. The scanner deregisters from its WAL when it ends
 * (closed, or upstream failed).
 */
final class ScannerAdaptor implements Scanner {

    private static final Logger LOG = LoggerFactory.getLogger(ScannerAdaptor.class);

    private final String name;
    private final PChannelInfo channel;
    private final ScannerImpls upstream;
    private final ScanPipeline pipeline;
    private final Runnable onEnd;
    private final Lifetime lifetime;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile WALException failed; // set when a pipeline stage failed the scanner

    ScannerAdaptor(String name, PChannelInfo channel, ScannerImpls upstream, ScanPipeline pipeline, Runnable onEnd) {
        this.name = name;
        this.channel = channel;
        this.upstream = upstream;
        this.pipeline = pipeline;
        this.onEnd = onEnd;
        this.lifetime = new Lifetime("scanner " + name + " of " + channel);
    }

    /** Starts following the upstream's end; separate from the constructor so {@code this} escapes only when built. */
    ScannerAdaptor start() {
        Futures.callSafely(upstream::done, "done() of backend scanner " + name).whenComplete((v, failure) -> {
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(Futures.unwrap(failure));
            }
            end();
        });
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PChannelInfo channel() {
        return channel;
    }

    @Override
    public ImmutableMessage poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        enter();
        try {
            long budget = saturatedNanos(timeout);
            long start = System.nanoTime();
            while (true) {
                ImmutableMessage next = pipeline.poll();
                if (next != null) {
                    return next;
                }
                // Elapsed time, not a deadline: nanoTime + a huge timeout could overflow.
                long remaining = Math.max(0, budget - (System.nanoTime() - start));
                ImmutableMessage incoming = upstream.poll(Duration.ofNanos(remaining));
                if (incoming == null) {
                    return null;
                }
                push(incoming);
            }
        } catch (WALClosedException e) {
            throw translate(e);
        } finally {
            lifetime.exit();
        }
    }

    @Override
    public ImmutableMessage take() {
        enter();
        try {
            while (true) {
                ImmutableMessage next = pipeline.poll();
                if (next != null) {
                    return next;
                }
                push(Objects.requireNonNull(upstream.take(), "backend scanner returned null from take()"));
            }
        } catch (WALClosedException e) {
            throw translate(e);
        } finally {
            lifetime.exit();
        }
    }

    /**
     * Pushes through the pipeline. A stage that fails (a transaction too large to hold) ends the scanner: {@link #done()}
     * fails with the cause, the backend scanner is closed, and the cause is rethrown (again on every later call).
     */
    private void push(ImmutableMessage message) {
        try {
            pipeline.push(message);
        } catch (WALClosedException e) {
            throw e;
        } catch (WALException e) {
            failed = e;
            if (done.completeExceptionally(e)) {
                Threads.closeQuietly(upstream, LOG, "backend scanner " + name);
                end();
            }
            throw e;
        }
    }

    @Override
    public CompletableFuture<Void> done() {
        return Futures.view(done);
    }

    @Override
    public void close() {
        if (lifetime.close()) {
            Threads.closeQuietly(upstream, LOG, "backend scanner " + name);
            done.complete(null);
            end();
        }
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }

    private void enter() {
        if (!lifetime.tryEnter()) {
            throw closedException();
        }
        WALException failure = failed;
        if (failure != null) {
            lifetime.exit();
            throw failure;
        }
    }

    /** A close of this scanner (or its WAL) shows up upstream as a backend closed failure: say who closed us. */
    private WALClosedException translate(WALClosedException upstreamClosed) {
        if (!lifetime.isClosed()) {
            return upstreamClosed;
        }
        WALClosedException e = closedException();
        e.addSuppressed(upstreamClosed);
        return e;
    }

    private WALClosedException closedException() {
        return new WALClosedException("scanner " + name + " of " + channel + " is closed", lifetime.closedBy());
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.isNegative() ? 0 : d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "ScannerAdaptor{" + name + " of " + channel + ", ended=" + ended.get() + "}";
    }
}
