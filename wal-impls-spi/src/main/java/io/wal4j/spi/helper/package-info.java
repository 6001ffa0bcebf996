/**
 * Helpers for backend authors, so each backend writes only its storage logic:
 * <ul>
 *   <li>{@link io.wal4j.spi.helper.OpenerLifetime}: an opener's guard, the argument checks of its opens, and closing
 *       every WAL it opened, newest first;</li>
 *   <li>{@link io.wal4j.spi.helper.ChannelCore}: one channel's lifetime, live scanners and close sequence, and a
 *       complete read-only WAL; {@link io.wal4j.spi.helper.ChannelWAL} the read-write WAL around it (the checks of
 *       append and truncate);</li>
 *   <li>{@link io.wal4j.spi.helper.ScannerHelper} turns a background read loop into a
 *       {@link io.wal4j.spi.ScannerImpls} (bounded hand-off, cancellation, a finish future), and
 *       {@link io.wal4j.spi.helper.PullScanner} does the same for storage the consuming thread waits on itself;</li>
 *   <li>{@link io.wal4j.spi.helper.BlockingWALImpls} turns a backend whose append naturally blocks
 *       ({@link io.wal4j.spi.helper.BlockingWALBackend}) into an asynchronous {@link io.wal4j.spi.WALImpls} running on
 *       a bounded executor.</li>
 * </ul>
 * The {@code memory} backend is built on {@code OpenerLifetime}, {@code ChannelCore}, {@code ChannelWAL} and
 * {@code PullScanner}; the {@code kafka} backend on the same with {@code ScannerHelper}.
 */
package io.wal4j.spi.helper;
