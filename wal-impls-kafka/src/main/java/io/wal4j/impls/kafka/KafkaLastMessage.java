package io.wal4j.impls.kafka;

import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds the last committed message of a partition without reading it all: the committed end (the last stable
 * offset, as {@code read_committed} reports it) is known, but the offsets just below it may be transaction markers
 * or aborted records, so it reads a window before the end and doubles the window until it meets a message or the
 * start of the log. A window's read is done once the consumer's position reaches the end. Stateless.
 */
final class KafkaLastMessage {

    private static final long FIRST_WINDOW = 16;

    private KafkaLastMessage() {
    }

    /**
     * @return the committed message with the largest offset, or empty if the partition holds none
     * @throws WALStorageException if the cluster fails or the read takes longer than the request timeout
     */
    static Optional<ImmutableMessage> read(TopicPartition partition, KafkaSettings settings) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                settings.consumerProperties("wal4j-kafka-last-" + partition.topic(), 500));
        try {
            List<TopicPartition> partitions = List.of(partition);
            consumer.assign(partitions);
            long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
            long first = consumer.beginningOffsets(partitions, settings.requestTimeout()).get(partition);
            long end = consumer.endOffsets(partitions, settings.requestTimeout()).get(partition);
            for (long window = FIRST_WINDOW; end > first; window *= 2) {
                long from = Math.max(first, end - window);
                Optional<ImmutableMessage> last = lastIn(consumer, partition, from, end, deadline);
                if (last.isPresent() || from == first) {
                    return last;
                }
                end = from;
            }
            return Optional.empty();
        } catch (KafkaException e) {
            throw KafkaErrors.storage("reading the last message of " + partition, settings, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    /** @return the last committed message with an offset in {@code [from, end)} */
    private static Optional<ImmutableMessage> lastIn(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition,
                                                     long from, long end, long deadline) {
        consumer.seek(partition, from);
        ConsumerRecord<byte[], byte[]> last = null;
        while (consumer.position(partition) < end) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new WALStorageException("reading the last message of " + partition + " took longer than the "
                        + "request timeout; position " + consumer.position(partition) + " of " + end);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofNanos(remaining))
                    .records(partition)) {
                if (record.offset() < end) {
                    last = record;
                }
            }
        }
        return Optional.ofNullable(last).map(KafkaFetcher::toMessage);
    }
}
