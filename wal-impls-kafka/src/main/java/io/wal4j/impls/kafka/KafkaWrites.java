package io.wal4j.impls.kafka;

import io.wal4j.api.Durability;
import io.wal4j.api.WALException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.helper.ChannelWAL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The storage half of a Kafka writer, inside a {@link ChannelWAL} (which checks the arguments, the level
 * ({@link Durability#REPLICATED} only: acks=all, Kafka does not fsync per append), the configured size limit and the
 * lifetime first). Appends go to the channel's {@link KafkaWriter}, which commits them in Kafka transactions; a
 * message becomes one record of the channel's partition with the payload as value, no key, and each property as a
 * header (UTF-8 value). Truncation is {@code Admin.deleteRecords}, which moves the partition's log start offset
 * exactly past the truncated id.
 *
 * <p>Thread-safe. Closing the WAL lets the writer commit what is pending and closes the producer (the core's
 * {@code release} hook). Once fenced or poisoned, appends and truncates fail with that cause forever; reading goes
 * on.
 */
final class KafkaWrites implements ChannelWAL.Writes {

    private final TopicPartition partition;
    private final KafkaWriter writer;
    private final Admin admin;
    private final KafkaSettings settings;

    KafkaWrites(TopicPartition partition, KafkaWriter writer, Admin admin, KafkaSettings settings) {
        this.partition = partition;
        this.writer = writer;
        this.admin = admin;
        this.settings = settings;
    }

    @Override
    public CompletableFuture<MessageId> append(MutableMessage message, long size) {
        return writer.submit(toRecord(message), size);
    }

    private ProducerRecord<byte[], byte[]> toRecord(MutableMessage message) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> property : message.properties().entrySet()) {
            headers.add(property.getKey(), property.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(partition.topic(), partition.partition(), null, null, message.payload(), headers);
    }

    /**
     * Drops every message up to and including {@code id} with {@code deleteRecords}; an id past the end drops
     * everything written so far. Ids keep increasing afterwards; scanners positioned in the dropped range continue at
     * the first retained message. The future completes on a pool thread, never on a Kafka client thread.
     */
    @Override
    public CompletableFuture<Void> truncate(MessageId id) {
        long offset = KafkaMessageId.require(id).offset();
        CompletableFuture<WALException> failed = writer.failure();
        if (failed != null) {
            return KafkaWriter.failedWith(failed);
        }
        return deleteThrough(offset);
    }

    private CompletableFuture<Void> deleteThrough(long offset) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        // deleteRecords refuses an offset past the high watermark: clamp to it.
        admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).toCompletionStage()
                .thenCompose(end -> {
                    long before = Math.min(offset == Long.MAX_VALUE ? offset : offset + 1, end.offset());
                    return admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(before)))
                            .lowWatermarks().get(partition).toCompletionStage();
                })
                .whenCompleteAsync((ignored, failure) -> {
                    if (failure == null) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(KafkaErrors.storage("truncating " + partition + " through offset "
                                + offset, settings, failure));
                    }
                });
        return result;
    }
}
