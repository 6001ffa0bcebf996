package io.wal4j.api;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one WAL's counters. Immutable.
 *
 * @param channel            the channel
 * @param appends            appends acknowledged to their caller
 * @param appendBytes        estimated bytes of acknowledged appends
 * @param appendFailures     appends that failed, counting those the caller gave up on (timeout, cancel) even when
 *                           the backend stored them afterwards
 * @param activeScanners     scanners currently open
 * @param appendRetries      backend appends retried after a transient failure
 * @param backendAppendNanos total time spent in the backend's append (each attempt, retries included), in nanoseconds
 * @param interceptorNanos   per interceptor name, the total time spent in that interceptor's own code (before it
 *                           called the rest of the chain and after the rest completed), in nanoseconds; unmodifiable
 * @param details            latency percentiles, scanners by mode, write-ahead buffer and time-tick figures;
 *                           {@link Details#NONE} for a WAL that does not track them
 */
public record WALMetrics(PChannelInfo channel, long appends, long appendBytes, long appendFailures,
                         int activeScanners, long appendRetries, long backendAppendNanos,
                         Map<String, Long> interceptorNanos, Details details) {

    /** @throws NullPointerException if {@code interceptorNanos}, one of its entries or {@code details} is null */
    public WALMetrics {
        interceptorNanos = Map.copyOf(Objects.requireNonNull(interceptorNanos, "interceptorNanos"));
        Objects.requireNonNull(details, "details");
    }

    /** A snapshot without {@link Details} (they are {@link Details#NONE}). */
    public WALMetrics(PChannelInfo channel, long appends, long appendBytes, long appendFailures,
                      int activeScanners, long appendRetries, long backendAppendNanos,
                      Map<String, Long> interceptorNanos) {
        this(channel, appends, appendBytes, appendFailures, activeScanners, appendRetries, backendAppendNanos,
                interceptorNanos, Details.NONE);
    }

    /** The snapshot of a WAL that has no append-side counters beyond the first five (a read-only WAL, say). */
    public WALMetrics(PChannelInfo channel, long appends, long appendBytes, long appendFailures, int activeScanners) {
        this(channel, appends, appendBytes, appendFailures, activeScanners, 0, 0, Map.of());
    }

    /**
     * Latency percentiles of one part of the append path, from a histogram with about 6% relative precision.
     * Immutable.
     *
     * @param count     how many latencies were recorded
     * @param p50Nanos  the median, in nanoseconds (0 when nothing was recorded)
     * @param p99Nanos  the 99th percentile, in nanoseconds
     * @param maxNanos  the largest recorded latency (bucket upper bound), in nanoseconds
     */
    public record Percentiles(long count, long p50Nanos, long p99Nanos, long maxNanos) {

        /** No latency recorded. */
        public static final Percentiles NONE = new Percentiles(0, 0, 0, 0);
    }

    /**
     * The figures of a full (adaptor) WAL beyond the plain counters. Immutable.
     *
     * @param interceptorLatency    per append, the time spent in the interceptor chain (total append time minus the
     *                              backend time)
     * @param backendLatency        per append, the time the backend step took, retries included
     * @param catchUpScanners       open scanners reading the backend (catch-up mode)
     * @param tailingScanners       open scanners reading the in-memory write-ahead buffer (tailing mode)
     * @param bufferBytes           estimated bytes held by the write-ahead buffer
     * @param bufferEntries         entries held by the write-ahead buffer
     * @param lastConfirmedTimeTick the time tick up to which every append is resolved
     * @param timeTickLagMillis     how far (wall-clock milliseconds) the last published time tick trails now
     * @param persistedSyncs        time-tick syncs written to the backend
     * @param notPersistedSyncs     time-tick syncs delivered to readers without being written
     */
    public record Details(Percentiles interceptorLatency, Percentiles backendLatency, int catchUpScanners,
                          int tailingScanners, long bufferBytes, int bufferEntries, long lastConfirmedTimeTick,
                          long timeTickLagMillis, long persistedSyncs, long notPersistedSyncs) {

        /** Nothing tracked. */
        public static final Details NONE = new Details(Percentiles.NONE, Percentiles.NONE, 0, 0, 0, 0, 0, 0, 0, 0);

        /** @throws NullPointerException if a percentile summary is null */
        public Details {
            Objects.requireNonNull(interceptorLatency, "interceptorLatency");
            Objects.requireNonNull(backendLatency, "backendLatency");
        }
    }
}
