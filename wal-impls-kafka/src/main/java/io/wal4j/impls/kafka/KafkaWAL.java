package io.wal4j.impls.kafka;

import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.spi.helper.ChannelCore;
import io.wal4j.spi.helper.ScannerHelper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The writer of one channel: appends go to the channel's {@link KafkaWriter}, which commits them in Kafka
 * transactions; a message becomes one record of the channel's partition with the payload as value, no key, and each
 * property as a header (UTF-8 value). Truncation is {@code Admin.deleteRecords}, which moves the partition's log
 * start offset exactly past the truncated id. Reading, the lifetime and closing are its {@link ChannelCore}'s.
 *
 * <p>Thread-safe. Lifetime: owned by its {@link KafkaOpener}; {@link #close()} lets the writer commit what is
 * pending, closes the producer and the scanners; later calls fail with {@link io.wal4j.api.WALClosedException} (as
 * failed futures for the asynchronous ones). Once fenced or poisoned, appends and truncates fail with that cause
 * forever; reading goes on.
 */
final class KafkaWAL implements WALImpls {

    private final ChannelCore<ScannerHelper> core;
    private final TopicPartition partition;
    private final KafkaWriter writer;
    private final Admin admin;
    private final KafkaSettings settings;
    private final Capabilities capabilities;

    /** @param capabilities the opener's: the supported levels and the configured size limit */
    KafkaWAL(ChannelCore<ScannerHelper> core, TopicPartition partition, KafkaWriter writer, Admin admin,
             KafkaSettings settings, Capabilities capabilities) {
        this.core = core;
        this.partition = partition;
        this.writer = writer;
        this.admin = admin;
        this.settings = settings;
        this.capabilities = capabilities;
    }

    @Override
    public String walName() {
        return core.walName();
    }

    @Override
    public PChannelInfo channel() {
        return core.channel();
    }

    @Override
    public ScannerImpls read(ReadOptionImpls option) {
        return core.read(option);
    }

    /**
     * See {@link WALImpls#append}. A null argument fails the future with {@link NullPointerException}; any level
     * other than {@link Durability#REPLICATED} (acks=all; Kafka does not fsync per append) with
     * {@link IllegalArgumentException}; a message above the opener's {@code wal.kafka.max-message-bytes} with
     * {@link io.wal4j.api.MessageTooLargeException}.
     */
    @Override
    public CompletableFuture<MessageId> append(MutableMessage message, Durability durability) {
        return core.append(message, durability, capabilities,
                (checked, size) -> writer.submit(toRecord(checked), size));
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
        if (id == null) {
            return CompletableFuture.failedFuture(new NullPointerException("id"));
        }
        return core.guardAsync(() -> {
            long offset = KafkaMessageId.require(id).offset();
            CompletableFuture<WALException> failed = writer.failure();
            if (failed != null) {
                return KafkaWriter.failedWith(failed);
            }
            return deleteThrough(offset);
        });
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

    /** Reads a short window before the committed end of the partition; see {@code KafkaLastMessage}. */
    @Override
    public Optional<ImmutableMessage> readLast() {
        return core.readLast();
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "KafkaWAL{" + core.channel() + "}";
    }
}
