package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Splits the latency of each user append into the backend step's time (retries and backoffs included) and the rest
 * (the interceptor chain, readiness waits, completion hand-offs), recorded into the two histograms of
 * {@link AdaptorMetrics}. Thread-safe; an append is tracked from {@link #begin} to {@link #end}.
 */
final class AppendTimings {

    private final AdaptorMetrics metrics;
    private final Map<AppendContext, long[]> backendNanos = new ConcurrentHashMap<>();

    AppendTimings(AdaptorMetrics metrics) {
        this.metrics = metrics;
    }

    /** @return {@code terminal}, timed for the appends being tracked */
    AppendNext wrap(AppendNext terminal) {
        return (ctx, message) -> {
            long start = System.nanoTime();
            CompletableFuture<AppendOutcome> outcome = terminal.append(ctx, message);
            long[] slot = backendNanos.get(ctx);
            if (slot == null || outcome == null) {
                return outcome;
            }
            return Futures.whenComplete(outcome, (o, failure) -> slot[0] += System.nanoTime() - start);
        };
    }

    /** Starts tracking the append of {@code ctx}. */
    void begin(AppendContext ctx) {
        backendNanos.put(ctx, new long[1]);
    }

    /**
     * Stops tracking; records the split when the append succeeded.
     *
     * @param totalNanos the whole append's latency
     */
    void end(AppendContext ctx, long totalNanos, boolean succeeded) {
        long[] slot = backendNanos.remove(ctx);
        if (slot != null && succeeded) {
            metrics.backendLatency.record(slot[0]);
            metrics.interceptorLatency.record(totalNanos - slot[0]);
        }
    }
}
