/**
 * The in-memory wal4j backend ({@code "memory"}): {@link io.wal4j.impls.memory.MemoryOpenerBuilder} →
 * {@code MemoryOpener} → a {@code ChannelWAL} (read-write) or a bare {@code ChannelCore} (read-only) → scanners, over
 * per-channel logs held in {@link io.wal4j.impls.memory.MemoryStore}s that belong to the builder. The lifetimes,
 * the argument checks, the scanner registry and the scanners themselves are the shared helpers of
 * {@code io.wal4j.spi.helper} ({@code OpenerLifetime}, {@code ChannelCore}, {@code ChannelWAL},
 * {@code PullScanner}); this package holds only the storage: {@code MemoryLog}, {@code MemoryReader},
 * {@code MemoryWrites} and {@code MemoryCursor}.
 *
 * <p>For tests, embedded use and crash simulation: {@link io.wal4j.impls.memory.MemoryStore} can hold
 * acknowledgements and simulate a crash that drops whatever was not acknowledged. Messages are deep-copied in and
 * out; readers wait on a {@code Condition}, never poll.
 */
package io.wal4j.impls.memory;
