/**
 * The Kafka wal4j backend ({@code "kafka"}): {@link io.wal4j.impls.kafka.KafkaOpenerBuilder} → {@code KafkaOpener} →
 * a {@code ChannelWAL} of a {@code KafkaWrites}, or a bare {@code ChannelCore} when read-only → a
 * {@code ScannerHelper} fed by a {@code KafkaFetcher}. The lifetimes, the argument checks, the scanner registry and
 * the hand-off are the shared helpers of {@code io.wal4j.spi.helper}; this package holds only the Kafka-specific
 * code. One single-partition topic per channel, the offset as {@link io.wal4j.impls.kafka.KafkaMessageId}, appends
 * committed in batches by a transactional producer whose transactional id belongs to the channel (so a newer writer
 * fences the older), scanners reading committed data only with a consumer each, truncation by {@code deleteRecords}.
 * All Kafka client failures are translated in {@code KafkaErrors}.
 */
package io.wal4j.impls.kafka;
