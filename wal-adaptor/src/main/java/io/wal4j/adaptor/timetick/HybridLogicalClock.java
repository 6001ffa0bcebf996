package io.wal4j.adaptor.timetick;

import java.util.function.LongSupplier;

/**
 * The default {@link TimestampAllocator}: a hybrid logical clock whose ticks hold the wall-clock milliseconds in
 * the high bits and a logical counter in the low {@value #LOGICAL_BITS} bits, like Milvus's TSO.
 *
 * <p>{@code allocate() = max(last + 1, now << LOGICAL_BITS)}: ticks follow the wall clock while it moves forward
 * and keep counting from the last tick when it stands still or steps back, so they never repeat or go backwards.
 * Thread-safe.
 */
public final class HybridLogicalClock implements TimestampAllocator {

    /** Bits of a tick that count within one millisecond. */
    public static final int LOGICAL_BITS = 18;

    private final LongSupplier wallClockMillis;
    private long last;

    /** @param wallClockMillis the wall clock, in milliseconds since the epoch (injected for tests) */
    public HybridLogicalClock(LongSupplier wallClockMillis) {
        this.wallClockMillis = wallClockMillis;
    }

    /** @return a clock on {@link System#currentTimeMillis()} */
    public static HybridLogicalClock systemClock() {
        return new HybridLogicalClock(System::currentTimeMillis);
    }

    @Override
    public synchronized long allocate() {
        last = Math.max(last + 1, wallClockMillis.getAsLong() << LOGICAL_BITS);
        return last;
    }

    @Override
    public synchronized void observe(long timeTick) {
        last = Math.max(last, timeTick);
    }

    /** @return the wall-clock milliseconds encoded in a tick */
    public static long physicalMillis(long timeTick) {
        return timeTick >>> LOGICAL_BITS;
    }
}
