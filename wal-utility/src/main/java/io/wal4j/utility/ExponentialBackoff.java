package io.wal4j.utility;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The delays between retries of a failing operation: {@code initial}, then each delay times {@code multiplier},
 * never more than {@code max}, with no limit on the number of retries (the caller decides when to stop: on close,
 * fencing, cancellation or a deadline). The adaptor uses 10 ms → 5 s ×2 for backend appends and 100 ms → 5 s ×2 for
 * reopening a backend scanner (Milvus reference §3.2, §3.4).
 *
 * <p>The three-argument constructor gives an exact, jitter-free sequence. The five-argument constructor adds a
 * symmetric jitter drawn from an injected {@link RandomGenerator}: each returned delay is the exact delay scaled by a
 * factor in {@code [1 - jitter, 1 + jitter)}, then capped at {@code max}. Jitter never feeds back into the sequence, so
 * the underlying progression stays exact; a seeded generator makes it reproducible in tests.
 *
 * <p>Delays are computed in nanoseconds and rounded to the nearest nanosecond; with {@code multiplier > 1} each step
 * grows by at least one nanosecond, so a tiny initial delay cannot stall. A {@code max} longer than
 * {@code Long.MAX_VALUE} nanoseconds (about 292 years) is treated as that long.
 *
 * <p>Not thread-safe: one instance belongs to one retry loop.
 */
public final class ExponentialBackoff {

    private final long initialNanos;
    private final long maxNanos;
    private final double multiplier;
    private final double jitter;
    private final RandomGenerator random;
    private long currentNanos;

    /**
     * Creates a jitter-free backoff.
     *
     * @param initial    the first delay; positive
     * @param max        the largest delay; at least {@code initial}
     * @param multiplier the growth factor per step; at least 1 and finite
     * @throws NullPointerException     if {@code initial} or {@code max} is null
     * @throws IllegalArgumentException if a duration is zero or negative, {@code initial > max}, or the multiplier is
     *                                  below 1, NaN or infinite
     */
    public ExponentialBackoff(Duration initial, Duration max, double multiplier) {
        this(initial, max, multiplier, 0.0, null);
    }

    /**
     * Creates a backoff whose delays are spread by {@code ±jitter} (a fraction of the exact delay).
     *
     * @param initial    the first delay; positive
     * @param max        the largest delay; at least {@code initial}
     * @param multiplier the growth factor per step; at least 1 and finite
     * @param jitter     the relative spread, in {@code [0, 1)}; 0 means none
     * @param random     the source of the spread; may be null only when {@code jitter} is 0
     * @throws NullPointerException     if {@code initial} or {@code max} is null, or {@code random} is null while
     *                                  {@code jitter > 0}
     * @throws IllegalArgumentException if a duration is zero or negative, {@code initial > max}, the multiplier is
     *                                  below 1, NaN or infinite, or {@code jitter} is outside {@code [0, 1)}
     */
    public ExponentialBackoff(Duration initial, Duration max, double multiplier, double jitter,
                              RandomGenerator random) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        requirePositive("initial", initial);
        requirePositive("max", max);
        if (initial.compareTo(max) > 0) {
            throw new IllegalArgumentException("initial " + initial + " is greater than max " + max);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be finite and at least 1, got " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
        if (jitter > 0.0) {
            Objects.requireNonNull(random, "random");
        }
        this.initialNanos = saturatedNanos(initial);
        this.maxNanos = saturatedNanos(max);
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.random = random;
        this.currentNanos = initialNanos;
    }

    /**
     * Returns the delay before the next retry and advances the sequence.
     *
     * @return the delay, positive and never longer than {@code max}
     */
    public Duration next() {
        long delay = currentNanos;
        currentNanos = grow(currentNanos);
        return Duration.ofNanos(applyJitter(delay));
    }

    /** Restarts the sequence at {@code initial}, typically after a success. */
    public void reset() {
        currentNanos = initialNanos;
    }

    private long grow(long nanos) {
        if (multiplier == 1.0) {
            return nanos;
        }
        double product = nanos * multiplier;
        if (product >= maxNanos) {
            return maxNanos;
        }
        long grown = Math.round(product);
        // Rounding can leave a nanosecond-scale delay where it was; insist on progress since growth was asked for.
        return Math.min(maxNanos, Math.max(grown, nanos + 1));
    }

    private long applyJitter(long nanos) {
        if (jitter == 0.0) {
            return nanos;
        }
        double factor = 1.0 + jitter * (2.0 * random.nextDouble() - 1.0);
        double spread = nanos * factor;
        return Math.max(1L, spread >= maxNanos ? maxNanos : Math.round(spread));
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "ExponentialBackoff{initial=" + Duration.ofNanos(initialNanos) + ", max=" + Duration.ofNanos(maxNanos)
                + ", multiplier=" + multiplier + ", jitter=" + jitter + ", current=" + Duration.ofNanos(currentNanos)
                + "}";
    }
}
