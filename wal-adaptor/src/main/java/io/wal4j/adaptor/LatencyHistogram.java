package io.wal4j.adaptor;

import io.wal4j.api.WALMetrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear histogram of latencies in nanoseconds: 16 linear sub-buckets per power of two, so a reported
 * percentile is within about 6% of the true value. Fixed memory (960 counters), no allocation per record.
 *
 * <p>Thread-safe: {@link #record} from any number of threads; a {@link #snapshot()} taken while records go on is not
 * atomic across buckets, each bucket is exact on its own.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one latency; a negative value counts as 0. */
    void record(long nanos) {
        counts.incrementAndGet(index(Math.max(0, nanos)));
    }

    /** @return count, median, 99th percentile and maximum (bucket upper bounds) */
    WALMetrics.Percentiles snapshot() {
        long[] copy = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
            total += copy[i];
        }
        if (total == 0) {
            return WALMetrics.Percentiles.NONE;
        }
        long max = 0;
        for (int i = BUCKETS - 1; i >= 0; i--) {
            if (copy[i] > 0) {
                max = upperBound(i);
                break;
            }
        }
        return new WALMetrics.Percentiles(total, percentile(copy, total, 0.50), percentile(copy, total, 0.99), max);
    }

    private static long percentile(long[] copy, long total, double p) {
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int i = 0; i < copy.length; i++) {
            seen += copy[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(copy.length - 1);
    }

    static int index(long value) {
        if (value < SUB) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int shift = exponent - SUB_BITS;
        int mantissa = (int) ((value >>> shift) & (SUB - 1));
        return SUB + shift * SUB + mantissa;
    }

    static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int shift = (index - SUB) / SUB;
        int mantissa = (index - SUB) % SUB;
        long lower = (long) (SUB + mantissa) << shift;
        return lower + (1L << shift) - 1;
    }
}
