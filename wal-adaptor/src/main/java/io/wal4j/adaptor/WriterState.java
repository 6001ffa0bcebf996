package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.utility.Lifetime;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Why appends of one read-write WAL must stop: the WAL is closing (its {@link Lifetime} is closed) or the channel was
 * fenced. Also tracks the appends that are parked (waiting for interceptor readiness or for a retry backoff) so that
 * closing or fencing wakes them at once instead of after the wait.
 *
 * <p>Thread-safe. Invariant: once {@link #wakeParked} has run, an append that parks afterwards is cancelled by
 * {@link #park} itself, so no parked append outlives the wake-up.
 */
final class WriterState {

    private final PChannelInfo channel;
    private final Lifetime lifetime;
    private final AtomicReference<ChannelFencedException> fenced = new AtomicReference<>();
    private final CompletableFuture<Void> unavailable = new CompletableFuture<>();
    private final Set<AppendContext> parked = ConcurrentHashMap.newKeySet();
    private volatile Supplier<Throwable> wakeReason;

    WriterState(PChannelInfo channel, Lifetime lifetime) {
        this.channel = channel;
        this.lifetime = lifetime;
    }

    PChannelInfo channel() {
        return channel;
    }

    /** @return a fresh exception saying the WAL is closed, caused by who closed it */
    WALClosedException closedException() {
        return new WALClosedException("WAL " + channel + " is closed", lifetime.closedBy());
    }

    /** @return a fresh exception saying the channel is fenced, caused by the backend's original report */
    ChannelFencedException fencedException() {
        ChannelFencedException first = fenced.get();
        ChannelFencedException e = new ChannelFencedException(channel.name(), channel.term(),
                "the WAL was fenced earlier and is permanently unavailable");
        e.initCause(first);
        return e;
    }

    boolean isFenced() {
        return fenced.get() != null;
    }

    /** @return the signal completed when the WAL becomes unavailable (normally on close, exceptionally on fence) */
    CompletableFuture<Void> unavailable() {
        return unavailable;
    }

    /** Marks the WAL closing: the unavailable signal completes and parked appends wake with a closed failure. */
    void markClosing() {
        unavailable.complete(null);
        wakeParked(this::closedException);
    }

    /** Records the first fence: the WAL becomes permanently unavailable and parked appends wake. */
    void markFenced(ChannelFencedException cause) {
        if (fenced.compareAndSet(null, cause)) {
            unavailable.completeExceptionally(cause);
            wakeParked(this::fencedException);
        }
    }

    /** @return why an append on {@code ctx} must stop now (abandoned, closing, fenced), if it must */
    Optional<Throwable> stopReason(AppendContext ctx) {
        Optional<Throwable> cancelled = ctx.cancellation();
        if (cancelled.isPresent()) {
            return cancelled;
        }
        if (lifetime.isClosed()) {
            return Optional.of(closedException());
        }
        if (isFenced()) {
            return Optional.of(fencedException());
        }
        return Optional.empty();
    }

    /**
     * Parks an append: if the WAL closes or is fenced while parked, {@code ctx} is cancelled with the reason.
     *
     * @return the handle that unparks it
     */
    Runnable park(AppendContext ctx) {
        parked.add(ctx);
        Supplier<Throwable> reason = wakeReason;
        if (reason != null) {
            ctx.cancel(reason.get());
        }
        return () -> parked.remove(ctx);
    }

    private void wakeParked(Supplier<Throwable> reason) {
        if (wakeReason == null) {
            wakeReason = reason;
        }
        for (AppendContext ctx : parked) {
            ctx.cancel(reason.get());
        }
    }
}
