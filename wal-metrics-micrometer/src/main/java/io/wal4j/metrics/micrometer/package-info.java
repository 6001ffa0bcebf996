/**
 * Micrometer meters for wal4j: {@link io.wal4j.metrics.micrometer.WALMetricsBinder} publishes what
 * {@link io.wal4j.api.ReadOnlyWAL#metrics()} and {@link io.wal4j.api.ReadOnlyWAL#txnMetrics()} report (appends,
 * bytes, failures, retries, time spent per interceptor and in the backend, latency percentiles, scanners by mode,
 * write-ahead buffer, time-tick and transaction figures) to any
 * {@code MeterRegistry}, holding the WALs weakly so that a closed WAL is neither kept alive nor kept published.
 */
package io.wal4j.metrics.micrometer;
