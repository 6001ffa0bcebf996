package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.WALMetrics;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinTheBucketPrecision() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long v = 1; v <= 1_000; v++) {
            histogram.record(v * 1_000);
        }
        WALMetrics.Percentiles p = histogram.snapshot();
        assertThat(p.count()).isEqualTo(1_000);
        assertThat(p.p50Nanos()).isBetween(500_000L, 500_000L * 107 / 100);
        assertThat(p.p99Nanos()).isBetween(990_000L, 990_000L * 107 / 100);
        assertThat(p.maxNanos()).isBetween(1_000_000L, 1_000_000L * 107 / 100);
    }

    @Test
    void anEmptyHistogramReportsNothingAndNegativeValuesCountAsZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.snapshot()).isEqualTo(WALMetrics.Percentiles.NONE);
        histogram.record(-5);
        assertThat(histogram.snapshot()).isEqualTo(new WALMetrics.Percentiles(1, 0, 0, 0));
    }

    @Test
    void everyValueFallsInABucketWhoseUpperBoundCoversIt() {
        for (long v : new long[] {0, 1, 15, 16, 17, 31, 32, 1_000, 123_456_789, Long.MAX_VALUE / 3, Long.MAX_VALUE}) {
            int index = LatencyHistogram.index(v);
            assertThat(LatencyHistogram.upperBound(index)).isGreaterThanOrEqualTo(v);
            if (index > 0) {
                assertThat(LatencyHistogram.upperBound(index - 1)).isLessThan(v);
            }
        }
    }
}
