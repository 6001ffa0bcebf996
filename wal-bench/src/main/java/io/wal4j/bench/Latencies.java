package io.wal4j.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency samples of one benchmark trial, in nanoseconds, kept in HdrHistogram (3 significant digits). Samples of
 * warm-up iterations are dropped; those of measurement iterations add up into the trial's histogram.
 *
 * <p>{@link #record} is thread-safe and wait-free (many completion or consumer threads may call it);
 * {@link #startIteration}, {@link #endIteration} and {@link #summary} are called by the benchmark thread only.
 */
final class Latencies {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private boolean measuring;

    /** Records one latency; a negative value (a clock oddity) counts as 0. */
    void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** Starts an iteration: drops what was recorded before; keeps what follows only if {@code measure}. */
    void startIteration(boolean measure) {
        recorder.getIntervalHistogram();
        measuring = measure;
    }

    /** Ends an iteration: its samples join the trial's histogram if it was a measurement iteration. */
    void endIteration() {
        Histogram interval = recorder.getIntervalHistogram();
        if (measuring) {
            total.add(interval);
        }
    }

    /** @return the number of samples of the measurement iterations so far */
    long count() {
        return total.getTotalCount();
    }

    /** @return the value at {@code percentile} (0..100) of the measurement iterations so far, in nanoseconds */
    long percentile(double percentile) {
        return total.getValueAtPercentile(percentile);
    }

    /**
     * @param label what was measured, e.g. {@code B4 target=memory rate=10000}
     * @return one line {@code HDR <label> count=… p50=…us p90=…us p99=…us p99.9=…us max=…us}
     */
    String summary(String label) {
        return String.format(Locale.ROOT, "HDR %s count=%d p50=%.1fus p90=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus",
                label, total.getTotalCount(), micros(50), micros(90), micros(99), micros(99.9),
                total.getMaxValue() / 1000.0);
    }

    private double micros(double percentile) {
        return total.getValueAtPercentile(percentile) / 1000.0;
    }
}
