/**
 * Time ticks of a channel (Milvus reference §3.6): the pluggable {@link io.wal4j.adaptor.timetick.TimestampAllocator}
 * (default {@link io.wal4j.adaptor.timetick.HybridLogicalClock}) and its factory, and the
 * {@link io.wal4j.adaptor.timetick.AckManager} that turns append outcomes into the last-confirmed time tick, each
 * message's last-confirmed id and the {@link io.wal4j.adaptor.timetick.SyncPoint}s a time-tick sync publishes.
 * Pure logic, no I/O and no thread: the adaptor's interceptor and sync operator drive it.
 */
package io.wal4j.adaptor.timetick;
