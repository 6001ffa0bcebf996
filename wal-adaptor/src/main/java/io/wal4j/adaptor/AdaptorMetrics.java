package io.wal4j.adaptor;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALMetrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The append-side counters of one WAL. Thread-safe and contention-friendly ({@link LongAdder}s); a snapshot is not
 * atomic across counters, each value is exact on its own.
 */
final class AdaptorMetrics {

    final LongAdder appends = new LongAdder();
    final LongAdder appendBytes = new LongAdder();
    final LongAdder appendFailures = new LongAdder();
    final LongAdder appendRetries = new LongAdder();
    final LongAdder backendAppendNanos = new LongAdder();
    final LatencyHistogram interceptorLatency = new LatencyHistogram();
    final LatencyHistogram backendLatency = new LatencyHistogram();
    private final Map<String, LongAdder> interceptorNanos = new ConcurrentHashMap<>();

    /** @return the timer of the interceptor called {@code name}; interceptors sharing a name share it */
    LongAdder interceptorTimer(String name) {
        return interceptorNanos.computeIfAbsent(name, n -> new LongAdder());
    }

    WALMetrics snapshot(PChannelInfo channel, int activeScanners) {
        return snapshot(channel, activeScanners, WALMetrics.Details.NONE);
    }

    WALMetrics snapshot(PChannelInfo channel, int activeScanners, WALMetrics.Details details) {
        Map<String, Long> timings = new TreeMap<>();
        interceptorNanos.forEach((name, adder) -> timings.put(name, adder.sum()));
        return new WALMetrics(channel, appends.sum(), appendBytes.sum(), appendFailures.sum(), activeScanners,
                appendRetries.sum(), backendAppendNanos.sum(), timings, details);
    }
}
