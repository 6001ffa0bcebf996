/**
 * The user API of wal4j: {@link io.wal4j.api.OpenerBuilder} → {@link io.wal4j.api.Opener} →
 * {@link io.wal4j.api.WAL} / {@link io.wal4j.api.ReadOnlyWAL} → {@link io.wal4j.api.Scanner}, with the options,
 * configuration and the unchecked {@link io.wal4j.api.WALException} hierarchy they use.
 *
 * <p>This package holds interfaces, values and exceptions only; implementations live in {@code wal-adaptor}.
 */
package io.wal4j.api;
