package io.wal4j.adaptor.timetick;

import io.wal4j.api.PChannelInfo;

/**
 * Creates the {@link TimestampAllocator} of each channel opened read-write. Plugged in by class name with the
 * configuration key {@code wal.adaptor.timetick.allocator} (the class needs a public no-argument constructor); the
 * default gives every channel a {@link HybridLogicalClock} on the system clock.
 *
 * <p>Implementations are thread-safe: channels open concurrently.
 */
@FunctionalInterface
public interface TimestampAllocatorFactory {

    /** The default: a hybrid logical clock on {@link System#currentTimeMillis()} per channel. */
    TimestampAllocatorFactory SYSTEM_CLOCK = channel -> HybridLogicalClock.systemClock();

    /**
     * @param channel the channel being opened
     * @return its allocator; the adaptor calls {@link TimestampAllocator#observe(long)} with the last tick found in
     *     the log before the first allocation
     */
    TimestampAllocator create(PChannelInfo channel);
}
