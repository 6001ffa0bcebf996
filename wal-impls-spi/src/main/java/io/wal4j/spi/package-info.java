/**
 * The backend SPI: what a storage backend implements so the adaptor can turn it into a full WAL —
 * {@link io.wal4j.spi.OpenerBuilderImpls} → {@link io.wal4j.spi.OpenerImpls} → {@link io.wal4j.spi.WALImpls} /
 * {@link io.wal4j.spi.ReadOnlyWALImpls} → {@link io.wal4j.spi.ScannerImpls}.
 *
 * <p>Minimal on purpose: payload bytes and properties in, a totally ordered {@link io.wal4j.api.message.MessageId}
 * out. Backends know nothing of time ticks, transactions or interceptors; they store every property (reserved ones
 * included) and give them back unchanged.
 */
package io.wal4j.spi;
