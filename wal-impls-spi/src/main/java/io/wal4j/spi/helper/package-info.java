/**
 * Helpers for backend authors, so each backend writes only its storage logic:
 * {@link io.wal4j.spi.helper.ScannerHelper} turns a background read loop into a {@link io.wal4j.spi.ScannerImpls}
 * (bounded hand-off, cancellation, a finish future), and {@link io.wal4j.spi.helper.BlockingWALImpls} turns a
 * backend whose append naturally blocks ({@link io.wal4j.spi.helper.BlockingWALBackend}) into an asynchronous
 * {@link io.wal4j.spi.WALImpls} running on a bounded executor.
 */
package io.wal4j.spi.helper;
