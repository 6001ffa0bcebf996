package io.wal4j.impls.kafka;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a channel's highest writer term is kept: in the committed offset metadata of a consumer group named after
 * the channel's topic ({@code <topic>.term}), which no consumer ever joins. The writer records its term in a
 * transaction of its own producer, so only the current holder of the channel's transactional id can record one
 * (a fenced producer's commit fails), and a reader of the term sees it only once committed.
 *
 * <p>Kafka fences by producer epoch (whoever initialises the transactional id last wins), not by term; this record
 * lets an opener refuse a writer whose term is lower than the highest recorded before it takes the id over. The
 * check and the take-over are two steps, so two opens of one channel racing each other can still let the lower term
 * win; the coordinator that hands out terms must not run them concurrently (Milvus's does not). Stateless.
 */
final class KafkaTerms {

    private static final String METADATA_PREFIX = "wal4j-term=";

    private KafkaTerms() {
    }

    /** @return the group holding the term of {@code topic} */
    static String group(String topic) {
        return topic + ".term";
    }

    /**
     * @return the highest term recorded for the channel of {@code partition}, or -1 if none
     * @throws Exception whatever the admin call throws, for the caller to translate
     */
    static long read(Admin admin, TopicPartition partition, KafkaSettings settings) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group(partition.topic()))
                .partitionsToOffsetAndMetadata().get(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
        return termOf(offsets.get(partition));
    }

    /**
     * @return completed with the highest term recorded for the channel of {@code partition} (-1 if none), or
     *     exceptionally with the admin client's failure; completes on the admin client's thread
     */
    static CompletableFuture<Long> readAsync(Admin admin, TopicPartition partition) {
        try {
            return admin.listConsumerGroupOffsets(group(partition.topic())).partitionsToOffsetAndMetadata()
                    .toCompletionStage().toCompletableFuture().thenApply(offsets -> termOf(offsets.get(partition)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static long termOf(OffsetAndMetadata recorded) {
        if (recorded == null || !recorded.metadata().startsWith(METADATA_PREFIX)) {
            return -1;
        }
        return Long.parseLong(recorded.metadata().substring(METADATA_PREFIX.length()));
    }

    /**
     * Records {@code term} in one transaction of {@code producer}, which must have initialised its transactions.
     *
     * @throws org.apache.kafka.common.KafkaException if the commit fails (fenced, timed out)
     */
    // The group's metadata can only be built with this constructor when no consumer of the group exists (none ever
    // does): Kafka deprecates it for removal in favour of KafkaConsumer.groupMetadata(), which needs a member.
    @SuppressWarnings("removal")
    static void record(Producer<byte[], byte[]> producer, TopicPartition partition, long term) {
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(0, METADATA_PREFIX + term)),
                new ConsumerGroupMetadata(group(partition.topic())));
        producer.commitTransaction();
    }
}
