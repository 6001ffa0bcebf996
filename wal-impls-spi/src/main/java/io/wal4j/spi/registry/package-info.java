/**
 * The process-wide registry of storage backends: {@link io.wal4j.spi.registry.WALImplsRegistry} finds every
 * {@link io.wal4j.spi.OpenerBuilderImpls} listed in {@code META-INF/services} once, lazily, and accepts more by
 * {@link io.wal4j.spi.registry.WALImplsRegistry#register}. A broken provider is isolated and reported; it never
 * hides the others.
 */
package io.wal4j.spi.registry;
