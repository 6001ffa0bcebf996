package io.wal4j.adaptor.timetick;

/**
 * Hands out the time ticks of one channel. Pluggable: the default is {@link HybridLogicalClock}; a deployment with a
 * central timestamp oracle plugs that in instead.
 *
 * <p>Contract: thread-safe; every {@link #allocate()} returns a value strictly greater than every value returned
 * before and every value passed to {@link #observe(long)}, whatever the wall clock does.
 */
public interface TimestampAllocator {

    /** @return a time tick strictly greater than any returned or observed before */
    long allocate();

    /**
     * Makes every later allocation greater than {@code timeTick}; used at open with the last time tick found in the
     * log, so ticks never go backwards across a reopen.
     */
    void observe(long timeTick);
}
