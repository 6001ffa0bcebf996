package io.wal4j.impls.file;

/**
 * How long the group-commit writer may let its next batch settle (wait for the appenders it just acknowledged, see
 * {@link AppendQueue#takeBatch(long, long, int, long)}): a fraction of the recent force time, never more than
 * {@code batch-settle-max}.
 *
 * <p>The fraction starts at one half and adapts. A settle that times out before the appenders came back means they
 * are not coming back promptly: an open-loop load (appends arrive at their own pace, whatever the acknowledgements),
 * or a window so large that refilling it takes longer than a force. Waiting then only leaves the disk idle and adds
 * latency, so each timeout halves the fraction, down to 1/{@value #MAX_DIVISOR}; a settle that gets its appenders
 * back restores one half.
 *
 * <p>Not thread-safe: confined to the writer thread.
 */
final class SettleBudget {

    /** The smallest fraction of the force time a settle may take is 1 / MAX_DIVISOR. */
    static final long MAX_DIVISOR = 32;
    private static final long FIRST_DIVISOR = 2;

    private final long maxNanos;
    private long forceNanos;
    private long divisor = FIRST_DIVISOR;

    /** @param maxNanos the most a settle may take ({@code batch-settle-max}); 0 turns settling off */
    SettleBudget(long maxNanos) {
        this.maxNanos = maxNanos;
    }

    /** Notes that a force took {@code nanos}: the average follows recent forces (weight 1/8). */
    void forced(long nanos) {
        forceNanos = forceNanos == 0 ? nanos : forceNanos + (nanos - forceNanos) / 8;
    }

    /** Notes how a settle ended: {@code met} when its appenders came back, false when it timed out. */
    void settled(boolean met) {
        divisor = met ? FIRST_DIVISOR : Math.min(divisor * 2, MAX_DIVISOR);
    }

    /** @return how long the next settle may wait, in nanoseconds */
    long nanos() {
        return Math.min(forceNanos / divisor, maxNanos);
    }
}
