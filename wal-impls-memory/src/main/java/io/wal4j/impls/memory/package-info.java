/**
 * The in-memory wal4j backend ({@code "memory"}): {@link io.wal4j.impls.memory.MemoryOpenerBuilder} →
 * {@code MemoryOpener} → {@code MemoryWAL} / {@code MemoryReadOnlyWAL} → {@code MemoryScanner}, over per-channel logs
 * held in {@link io.wal4j.impls.memory.MemoryStore}s that belong to the builder.
 *
 * <p>For tests, embedded use and crash simulation: {@link io.wal4j.impls.memory.MemoryStore} can hold
 * acknowledgements and simulate a crash that drops whatever was not acknowledged. Messages are deep-copied in and
 * out; readers wait on a {@code Condition}, never poll.
 */
package io.wal4j.impls.memory;
