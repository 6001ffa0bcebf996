package io.wal4j.api;

/**
 * A snapshot of one WAL's counters. Immutable.
 *
 * @param channel        the channel
 * @param appends        appends acknowledged
 * @param appendBytes    estimated bytes of acknowledged appends
 * @param appendFailures appends that failed
 * @param activeScanners scanners currently open
 */
public record WALMetrics(PChannelInfo channel, long appends, long appendBytes, long appendFailures,
                         int activeScanners) {
}
