/**
 * The reliability proving ground (issue 6): bad-input matrix, kill -9 process matrix, model-based checks, concurrency
 * soak — each test prints a {@code FIGURES} line (faults injected, messages acknowledged, lost, corrupt delivered)
 * that {@code docs/reliability.md} reports. Counts are small in CI and raised by system properties for a soak; see
 * {@link io.wal4j.it.reliability.Soak}.
 */
package io.wal4j.it.reliability;
